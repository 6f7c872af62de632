using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>A Megolm-encrypted room event after decryption, the room check and the replay check.</summary>
/// <param name="Type">The real event type (e.g. <c>m.room.message</c>).</param>
/// <param name="Content">The real content.</param>
/// <param name="SessionId">The Megolm session.</param>
/// <param name="MessageIndex">The Megolm index.</param>
/// <param name="SenderCurve25519Key">The Curve25519 key of the device that shared the room key with us over Olm.</param>
/// <param name="SenderClaimedEd25519Key">The Ed25519 key that device claimed in the Olm payload.</param>
/// <param name="Authenticated">True when the room key came over Olm with a signed session key (not a forwarded export).</param>
public sealed record DecryptedRoomEvent(string Type, JsonObject Content, string SessionId, uint MessageIndex,
    string SenderCurve25519Key, string SenderClaimedEd25519Key, bool Authenticated);
