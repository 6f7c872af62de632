using System.Text.Json.Nodes;

namespace WalkieTalkie.Interop;

/// <summary>A room event as the peer sees it after decryption.</summary>
/// <param name="EventId">The event id.</param>
/// <param name="RoomId">The room.</param>
/// <param name="Sender">The sending user.</param>
/// <param name="Type">The decrypted type (e.g. <c>m.room.message</c>); <see cref="WireType"/> is what travelled.</param>
/// <param name="WireType">The type on the wire: <c>m.room.encrypted</c> for an encrypted event.</param>
/// <param name="Encrypted">Whether the event travelled encrypted.</param>
/// <param name="Content">The decrypted content (the encrypted one when decryption failed).</param>
/// <param name="SenderDeviceId">The sending device claimed by the encrypted event, when encrypted.</param>
/// <param name="DecryptionFailure">Null when the event is plaintext or decrypted; otherwise js-sdk's
/// <c>decryptionFailureReason</c> (e.g. <c>MEGOLM_UNKNOWN_INBOUND_SESSION_ID</c>, <c>SENDER_IDENTITY_…</c>).</param>
/// <param name="Shield">Null for plaintext events and failures.</param>
public sealed record ReceivedEvent(string EventId, string RoomId, string Sender, string Type, string WireType, bool Encrypted,
    JsonObject Content, string? SenderDeviceId, string? DecryptionFailure, EventShield? Shield)
{
    /// <summary>The content's <c>msgtype</c>, when it has one.</summary>
    public string? MsgType => Content["msgtype"]?.GetValue<string>();

    /// <summary>The content's <c>body</c>, when it has one.</summary>
    public string? Body => Content["body"]?.GetValue<string>();

    /// <summary>True for a voice message as Element marks it (<c>org.matrix.msc3245.voice</c>, or the older MSC2516 key).</summary>
    public bool IsVoiceMessage => Content.ContainsKey("org.matrix.msc3245.voice") || Content.ContainsKey("org.matrix.msc2516.voice");
}
