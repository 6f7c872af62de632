namespace WalkieTalkie.Interop;

/// <summary>An encrypted attachment the peer downloaded (authenticated media), checked against its SHA-256 and
/// decrypted.</summary>
/// <param name="Path">Where the plaintext was written, when a path was given.</param>
/// <param name="Data">The plaintext, when no path was given.</param>
/// <param name="Size">Plaintext length in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the plaintext.</param>
public sealed record DownloadedFile(string? Path, byte[]? Data, long Size, string Sha256);
