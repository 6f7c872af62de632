namespace WalkieTalkie.Matrix.Sending;

/// <summary>
/// A file that belongs to an outgoing event: uploaded first, then its mxc URI is written into the event content
/// at <see cref="UriPath"/> (dot-separated, e.g. <c>url</c>, or <c>file.url</c> for an encrypted attachment whose
/// ciphertext this is).
/// </summary>
public sealed record OutboxMedia(byte[] Content, string ContentType, string? FileName, string UriPath);
