using WalkieTalkie.Matrix.Crypto.Megolm;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>An inbound Megolm session and who gave it to us: the Olm sender's keys, as the spec wants them kept.</summary>
public sealed record RoomKey(string RoomId, InboundGroupSession Session, string SenderCurve25519Key, string SenderClaimedEd25519Key);
