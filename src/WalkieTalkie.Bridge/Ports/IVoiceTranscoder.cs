using WalkieTalkie.Bridge.Outgoing;

namespace WalkieTalkie.Bridge.Ports;

/// <summary>The media pipeline: bursts to Ogg Opus, and voice messages to the channel's ADPCM.</summary>
public interface IVoiceTranscoder
{
    /// <summary>Transcodes a burst's recording to Ogg Opus, with its duration and a 100-point waveform (0..1024).</summary>
    /// <exception cref="UnusableAudioException">The recording cannot be transcoded, ever (it is skipped).</exception>
    ValueTask<EncodedVoice> EncodeAsync(FinishedBurst burst, CancellationToken cancellationToken);

    /// <summary>Decodes an Ogg Opus file and resamples it to the channel's rate as ADPCM blocks.</summary>
    /// <exception cref="UnusableAudioException">The file is not Ogg Opus the pipeline can decode (it is refused).</exception>
    ValueTask<ChannelAudio> DecodeAsync(byte[] oggOpus, int sampleRate, CancellationToken cancellationToken);
}

/// <summary>A burst as an Ogg Opus voice file.</summary>
/// <param name="OggOpus">The file.</param>
/// <param name="DurationMs">Its duration.</param>
/// <param name="Waveform">100 points, 0..1024.</param>
public sealed record EncodedVoice(byte[] OggOpus, long DurationMs, IReadOnlyList<int> Waveform);

/// <summary>Audio ready for the badges of a channel.</summary>
/// <param name="SampleRate">The channel's rate.</param>
/// <param name="AdpcmBlocks">IMA ADPCM blocks, one audio frame each.</param>
/// <param name="DurationMs">Its duration.</param>
public sealed record ChannelAudio(int SampleRate, IReadOnlyList<byte[]> AdpcmBlocks, long DurationMs);
