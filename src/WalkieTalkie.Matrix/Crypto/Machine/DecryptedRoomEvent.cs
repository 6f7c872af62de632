using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>A Megolm-encrypted room event after decryption, the room, sender and replay checks.</summary>
/// <param name="Type">The real event type (e.g. <c>m.room.message</c>).</param>
/// <param name="Content">The real content.</param>
/// <param name="Sender">The event's sender; always the user whose device gave us the room key over Olm.</param>
/// <param name="SenderCurve25519Key">The Curve25519 key of the device that shared the room key with us over Olm.</param>
/// <param name="SenderDevice">That device, when it is in the sender's device list with matching keys.</param>
/// <param name="Verification">How far that device is trusted.</param>
/// <param name="SessionId">The Megolm session.</param>
/// <param name="MessageIndex">The Megolm index.</param>
public sealed record DecryptedRoomEvent(string Type, JsonObject Content, string Sender, string SenderCurve25519Key,
    DeviceKeysInfo? SenderDevice, VerificationState Verification, string SessionId, uint MessageIndex)
{
    /// <summary>The content as JSON text.</summary>
    public string ContentJson => Content.ToJsonString();

    /// <summary>Type, sender and trust only: the content is the users' message, not log material.</summary>
    public override string ToString() => $"{Type} from {Sender} ({Verification}, session {SessionId} index {MessageIndex})";
}
