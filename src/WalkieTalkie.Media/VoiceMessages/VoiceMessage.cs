namespace WalkieTalkie.Media.VoiceMessages;

/// <summary>
/// A talk burst made into what Matrix clients play as a voice message: the Ogg Opus file and the facts the
/// <c>m.audio</c> content carries. When <see cref="IsSilence"/> is true the bridge should not send it.
/// </summary>
/// <param name="File">The Ogg Opus file (plaintext; the bridge encrypts and uploads it).</param>
/// <param name="DurationMilliseconds">The audio's length in milliseconds.</param>
/// <param name="Waveform">100 values 0..1024 (see <see cref="Waveform.WaveformThumbnail"/>).</param>
/// <param name="SampleRate">The burst's rate, which the file's OpusHead carries as its input rate.</param>
/// <param name="LoudestFrameDbfs">The loudest 20 ms frame of the burst, in dBFS.</param>
/// <param name="IsSilence">True when no frame reaches the silence threshold: nothing was said.</param>
public sealed record VoiceMessage(
    byte[] File,
    int DurationMilliseconds,
    IReadOnlyList<int> Waveform,
    int SampleRate,
    double LoudestFrameDbfs,
    bool IsSilence)
{
    /// <summary>The mimetype Element sends and expects.</summary>
    public const string MimeType = "audio/ogg";

    /// <summary>The attachment's name, as Element names it.</summary>
    public const string FileName = "Voice message.ogg";

    /// <summary>The body text, as Element sends it.</summary>
    public const string Body = "Voice message";

    /// <summary>Bytes of the plaintext file (the <c>size</c> of the content's <c>info</c>).</summary>
    public int Size => File.Length;
}
