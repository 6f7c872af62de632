namespace WalkieTalkie.Interop;

/// <summary>A voice message the peer sent from an Ogg Opus file.</summary>
/// <param name="EventId">The event id.</param>
/// <param name="Mxc">The <c>mxc://</c> URI of the uploaded ciphertext.</param>
/// <param name="DurationMs">The duration put in the event (from the last granule position minus pre-skip).</param>
/// <param name="Waveform">The 100 levels (0..1024) put in <c>org.matrix.msc1767.audio</c>.</param>
/// <param name="Channels">Channel count from the file's OpusHead.</param>
/// <param name="InputSampleRate">Input sample rate from the file's OpusHead.</param>
public sealed record SentVoiceMessage(string EventId, string Mxc, int DurationMs, IReadOnlyList<int> Waveform, int Channels, int InputSampleRate);
