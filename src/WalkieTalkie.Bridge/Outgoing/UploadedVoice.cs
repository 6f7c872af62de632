using System.Text.Json.Nodes;

namespace WalkieTalkie.Bridge.Outgoing;

/// <summary>
/// A voice file as uploaded by the Matrix client: in an encrypted room the <c>EncryptedFile</c> object (url, key,
/// iv, hashes, v), opaque to the bridge; in a plain room the <c>mxc://</c> url.
/// </summary>
/// <param name="EncryptedFile">The encrypted attachment object, or null in a plain room.</param>
/// <param name="Url">The <c>mxc://</c> url of a plain upload, or null.</param>
/// <param name="Size">Bytes of the plaintext Ogg file.</param>
public sealed record UploadedVoice(JsonObject? EncryptedFile, string? Url, long Size)
{
    /// <summary>An encrypted attachment.</summary>
    public static UploadedVoice Encrypted(JsonObject file, long size) => new(file, null, size);

    /// <summary>A plain upload.</summary>
    public static UploadedVoice Plain(string mxcUrl, long size) => new(null, mxcUrl, size);
}
