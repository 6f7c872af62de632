namespace WalkieTalkie.Media;

/// <summary>
/// The one exception the media path throws for bad input: a file that is not what it claims, or is damaged.
/// <see cref="Error"/> says why, the message says it in words. Nothing else is thrown for bad bytes.
/// </summary>
public sealed class MediaFormatException : Exception
{
    /// <summary>A refusal for <paramref name="error"/>, described by <paramref name="message"/>.</summary>
    public MediaFormatException(MediaError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>Why the input was refused.</summary>
    public MediaError Error { get; }
}
