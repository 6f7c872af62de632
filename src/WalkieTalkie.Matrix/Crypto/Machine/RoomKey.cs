using WalkieTalkie.Matrix.Crypto.Megolm;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>An inbound Megolm session and who gave it to us over Olm: the sending user and device keys, as the spec
/// wants them kept. Events decrypted with it must come from <paramref name="SenderUserId"/>.</summary>
public sealed record RoomKey(string RoomId, InboundGroupSession Session, string SenderUserId, string SenderCurve25519Key,
    string SenderClaimedEd25519Key);
