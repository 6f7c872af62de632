using System.Text.Json.Nodes;

namespace WalkieTalkie.Interop;

// Encrypted attachments and voice messages.
public sealed partial class JsPeer
{
    /// <summary>Encrypts bytes as an attachment (AES-256-CTR, SHA-256 of the ciphertext), uploads it and sends an event
    /// with the <c>file</c> object.</summary>
    public async Task<SentAttachment> SendAttachmentAsync(string roomId, byte[] data, string mimetype = "application/octet-stream",
        string filename = "attachment", string msgtype = "m.file", CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("sendAttachment", new { roomId, dataBase64 = Convert.ToBase64String(data), mimetype, filename, msgtype },
            cancellationToken: cancellationToken);
        return new SentAttachment(r.Str("eventId"), r.Str("mxc"), r["content"] as JsonObject ?? new JsonObject());
    }

    /// <summary>
    /// Sends an Ogg Opus file as an encrypted voice message shaped as Element's (<c>m.audio</c>, <c>info.mimetype</c>
    /// <c>audio/ogg</c>, <c>org.matrix.msc1767.audio</c> with duration and a 100-point waveform,
    /// <c>org.matrix.msc3245.voice</c>). Duration comes from the file's granule positions and the waveform from
    /// decoding it with <c>opusdec</c>, unless given. <paramref name="relatesTo"/> becomes <c>m.relates_to</c>.
    /// </summary>
    public async Task<SentVoiceMessage> SendVoiceMessageAsync(string roomId, string oggOpusPath, int? durationMs = null,
        IReadOnlyList<int>? waveform = null, JsonObject? relatesTo = null, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("sendVoiceMessage", new { roomId, path = Path.GetFullPath(oggOpusPath), durationMs, waveform, relatesTo },
            cancellationToken: cancellationToken);
        var levels = (r["waveform"] as JsonArray ?? []).Select(n => n!.GetValue<int>()).ToArray();
        return new SentVoiceMessage(r.Str("eventId"), r.Str("mxc"), (int)r.Long("durationMs"), levels, (int)r.Long("channels"),
            (int)r.Long("inputSampleRate"));
    }

    /// <summary>Downloads the encrypted file of an event the peer has seen (authenticated media), verifies the SHA-256
    /// of the ciphertext, decrypts it with the key and IV of the <c>file</c> object, and writes it to
    /// <paramref name="outputPath"/> (or returns the bytes when null).</summary>
    public Task<DownloadedFile> DownloadAttachmentAsync(string eventId, string? outputPath = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        DownloadAsync(new { eventId, outputPath = Full(outputPath), timeoutMs = Ms(timeout) }, cancellationToken);

    /// <summary>As <see cref="DownloadAttachmentAsync"/>, for a given encrypted <c>file</c> object.</summary>
    public Task<DownloadedFile> DownloadFileAsync(JsonObject file, string? outputPath = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        DownloadAsync(new { file, outputPath = Full(outputPath), timeoutMs = Ms(timeout) }, cancellationToken);

    private async Task<DownloadedFile> DownloadAsync(object arguments, CancellationToken cancellationToken)
    {
        var r = await SendAsync("downloadAttachment", arguments, cancellationToken: cancellationToken);
        var data = r.OptStr("dataBase64") is { } b64 ? Convert.FromBase64String(b64) : null;
        return new DownloadedFile(r.OptStr("outputPath"), data, r.Long("size"), r.Str("sha256"));
    }

    private static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);
}
