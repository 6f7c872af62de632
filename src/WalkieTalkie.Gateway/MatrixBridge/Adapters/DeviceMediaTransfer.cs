using System.Text.Json.Nodes;
using WalkieTalkie.Bridge.Incoming;
using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Attachments;

namespace WalkieTalkie.Gateway.MatrixBridge.Adapters;

/// <summary>
/// <see cref="IMediaTransfer"/> on the badges' <c>MatrixDevice</c>s: in an encrypted room the voice file is
/// AES-256-CTR encrypted (as Element does) and the ciphertext uploaded as <c>application/octet-stream</c> without a
/// name; downloads go through a device of the room (authenticated media), hash checked before decrypting.
/// </summary>
public sealed class DeviceMediaTransfer(BadgeDevices devices) : IMediaTransfer
{
    /// <inheritdoc />
    public async ValueTask<UploadedVoice> UploadVoiceAsync(string sendAs, string roomId, byte[] oggOpus, CancellationToken cancellationToken)
    {
        var device = devices.Of(sendAs);
        var room = device.Rooms.Get(roomId);
        if (room is null)
        {
            await device.Rooms.LoadRoomAsync(device.Client, roomId, cancellationToken);
            room = device.Rooms.Get(roomId)!;
        }
        if (!room.IsEncrypted)
        {
            return UploadedVoice.Plain(await device.Client.UploadMediaAsync(oggOpus, "audio/ogg", "Voice message.ogg", cancellationToken), oggOpus.Length);
        }

        var encrypted = AttachmentCipher.Encrypt(oggOpus);
        var url = await device.Client.UploadMediaAsync(encrypted.Ciphertext, "application/octet-stream", null, cancellationToken);
        return UploadedVoice.Encrypted((encrypted.File with { Url = url }).ToJson(), oggOpus.Length);
    }

    /// <inheritdoc />
    public async ValueTask<byte[]> DownloadVoiceAsync(string roomId, VoiceSource source, CancellationToken cancellationToken)
    {
        var device = devices.All.FirstOrDefault(d => d.Rooms.Get(roomId) is not null) ?? devices.All.FirstOrDefault()
            ?? throw new InvalidOperationException("no Matrix device is running in this gateway");
        try
        {
            if (source.EncryptedFile is { } file)
            {
                return await device.DownloadAttachmentAsync(JsonNode.Parse(file.GetRawText())!.AsObject(), cancellationToken);
            }

            return (await device.Client.DownloadMediaAsync(source.Url, cancellationToken: cancellationToken)).Content;
        }
        catch (MatrixCryptoException e)
        {
            throw new UnusableAudioException($"voice file {source.Url}: {e.Message}", e);
        }
        catch (MatrixException e) when ((int)e.Status is >= 400 and < 500 && !e.IsRateLimited)
        {
            throw new UnusableAudioException($"voice file {source.Url}: {e.Message}", e);
        }
    }
}
