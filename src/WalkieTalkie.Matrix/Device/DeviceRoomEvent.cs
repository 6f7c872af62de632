using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Machine;

namespace WalkieTalkie.Matrix.Device;

/// <summary>A room event as the device received it, decrypted when it came encrypted.</summary>
/// <param name="RoomId">The room.</param>
/// <param name="EventId">The event id.</param>
/// <param name="Sender">The sending user.</param>
/// <param name="Type">The (decrypted) event type, e.g. <c>m.room.message</c>.</param>
/// <param name="Content">The (decrypted) content.</param>
/// <param name="Encrypted">True when it travelled as <c>m.room.encrypted</c> and was decrypted.</param>
/// <param name="SenderDeviceId">The sending device, for encrypted events whose Megolm session we know came from it.</param>
/// <param name="OriginServerTs">The server's timestamp, in ms since the epoch.</param>
public sealed record DeviceRoomEvent(string RoomId, string EventId, string Sender, string Type, JsonObject Content, bool Encrypted,
    string? SenderDeviceId, long? OriginServerTs)
{
    /// <summary>For encrypted events: how far the sending device is trusted. Element (in its default mode, and the
    /// gateway likewise) acts only on events from devices their owner cross-signed.</summary>
    public VerificationState? SenderVerification { get; init; }
}
