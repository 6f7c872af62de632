using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Attachments;
using WalkieTalkie.Matrix.Sending;

namespace WalkieTalkie.Matrix.Device;

public sealed partial class MatrixDevice
{
    /// <summary>
    /// Queues an <c>m.room.message</c> with a file. In an encrypted room the file is AES-256-CTR encrypted here and the
    /// ciphertext uploaded as <c>application/octet-stream</c> without a name (as Element does); the content gets a
    /// <c>file</c> object (key, IV, SHA-256 of the ciphertext, and the mxc URI once uploaded). In a plain room the file
    /// is uploaded as it is under <c>url</c>, with <c>info.mimetype</c> as its type.
    /// </summary>
    /// <param name="roomId">The room.</param>
    /// <param name="file">The file's bytes.</param>
    /// <param name="content">The message content without <c>url</c>/<c>file</c> (msgtype, body, info, …).</param>
    /// <param name="cancellationToken">Cancels the queueing.</param>
    public async Task<OutboxEntry> SendAttachmentAsync(string roomId, byte[] file, JsonObject content, CancellationToken cancellationToken = default)
    {
        var room = Rooms.Get(roomId);
        if (room is null)
        {
            await Rooms.LoadRoomAsync(_client, roomId, cancellationToken).ConfigureAwait(false);
            room = Rooms.Get(roomId)!;
        }
        var message = (JsonObject)content.DeepClone();
        OutboxMedia media;
        if (room.IsEncrypted)
        {
            var encrypted = AttachmentCipher.Encrypt(file);
            message.Remove("url");
            message["file"] = encrypted.File.ToJson();
            media = new OutboxMedia(encrypted.Ciphertext, "application/octet-stream", null, "file.url");
        }
        else
        {
            var mimetype = message["info"]?["mimetype"]?.GetValue<string>() ?? "application/octet-stream";
            message.Remove("file");
            media = new OutboxMedia(file, mimetype, message["body"]?.GetValue<string>(), "url");
        }
        return await _outbox.EnqueueAsync(roomId, "m.room.message", message, media, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads an encrypted attachment (its <c>file</c> object) and decrypts it, checking the ciphertext's
    /// SHA-256 first.</summary>
    /// <exception cref="Crypto.MatrixCryptoException">A malformed <c>file</c> object or a hash mismatch.</exception>
    public async Task<byte[]> DownloadAttachmentAsync(JsonObject file, CancellationToken cancellationToken = default)
    {
        var parsed = EncryptedFile.FromJson(file);
        var download = await _client.DownloadMediaAsync(parsed.Url, cancellationToken: cancellationToken).ConfigureAwait(false);
        return AttachmentCipher.Decrypt(download.Content, parsed);
    }
}
