using WalkieTalkie.Bridge.Incoming;
using WalkieTalkie.Bridge.Outgoing;

namespace WalkieTalkie.Bridge.Ports;

/// <summary>The Matrix client and crypto: voice files up and down, encrypted as the room requires.</summary>
public interface IMediaTransfer
{
    /// <summary>
    /// Uploads a voice file from <paramref name="sendAs"/>'s account: in an encrypted room as an encrypted attachment
    /// (AES-256-CTR, reference 3.3), returning its <c>EncryptedFile</c> object; in a plain room as is.
    /// </summary>
    ValueTask<UploadedVoice> UploadVoiceAsync(string sendAs, string roomId, byte[] oggOpus, CancellationToken cancellationToken);

    /// <summary>Downloads a voice file (authenticated media), verifies its hash and decrypts it when encrypted.</summary>
    /// <exception cref="UnusableAudioException">The file fails its hash, cannot be decrypted, or is over the size limit.</exception>
    ValueTask<byte[]> DownloadVoiceAsync(string roomId, VoiceSource source, CancellationToken cancellationToken);
}
