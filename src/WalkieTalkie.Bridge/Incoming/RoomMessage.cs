using System.Text.Json;

namespace WalkieTalkie.Bridge.Incoming;

/// <summary>A room message event after decryption (or as sent, in a plain room).</summary>
/// <param name="EventId">The event id.</param>
/// <param name="Sender">The sending user.</param>
/// <param name="Type">The (decrypted) event type.</param>
/// <param name="Content">The (decrypted) content, untrusted.</param>
/// <param name="OriginServerTs">The homeserver's timestamp, milliseconds since the epoch.</param>
/// <param name="SenderDevice">The sending device as the crypto established it (Megolm session owner); null when unknown (a plain room).</param>
/// <param name="SenderName">The sender's name in the room (its display name, disambiguated as Matrix clients show it), which
/// the badges announce as the talker; null for the user id.</param>
public sealed record RoomMessage(string EventId, string Sender, string Type, JsonElement Content, long OriginServerTs, string? SenderDevice = null,
    string? SenderName = null);
