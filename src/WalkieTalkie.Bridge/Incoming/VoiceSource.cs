using System.Text.Json;

namespace WalkieTalkie.Bridge.Incoming;

/// <summary>Where a voice message's file is: an encrypted attachment, or a plain <c>mxc://</c> url.</summary>
/// <param name="EncryptedFile">The <c>file</c> object (url, key, iv, hashes, v) to download, verify and decrypt; null for a plain file.</param>
/// <param name="Url">The <c>mxc://</c> url to download.</param>
public sealed record VoiceSource(JsonElement? EncryptedFile, string Url)
{
    /// <summary>True when the file must be decrypted after download.</summary>
    public bool IsEncrypted => EncryptedFile is not null;
}
