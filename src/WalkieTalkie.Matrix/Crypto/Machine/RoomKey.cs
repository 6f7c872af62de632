using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Megolm;
using static WalkieTalkie.Matrix.Crypto.Machine.MachineInput;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>An inbound Megolm session and who gave it to us over Olm: the sending user and device keys, as the spec
/// wants them kept. Events decrypted with it must come from <paramref name="SenderUserId"/>.</summary>
public sealed record RoomKey(string RoomId, InboundGroupSession Session, string SenderUserId, string SenderCurve25519Key,
    string SenderClaimedEd25519Key)
{
    /// <summary>The room key an Olm-decrypted <c>m.room_key</c> carries, checked: Megolm, and the session id is the
    /// session key's.</summary>
    /// <exception cref="MatrixCryptoException">A missing field, another algorithm, a bad session key or id.</exception>
    internal static RoomKey FromRoomKeyEvent(DecryptedToDeviceEvent decrypted)
    {
        var content = decrypted.Content;
        if (JsonRead.String(content["algorithm"]) != MatrixAlgorithms.Megolm)
        {
            throw Invalid("m.room_key for an unsupported algorithm");
        }

        var roomId = JsonRead.String(content["room_id"]) ?? throw Invalid("m.room_key has no room_id");
        var sessionId = JsonRead.String(content["session_id"]) ?? throw Invalid("m.room_key has no session_id");
        var session = InboundGroupSession.FromSessionKey(JsonRead.String(content["session_key"]) ?? throw Invalid("m.room_key has no session_key"));
        if (session.SessionId != sessionId)
        {
            throw Check("m.room_key's session_id does not match its session key");
        }

        return new RoomKey(roomId, session, decrypted.Sender, decrypted.SenderCurve25519Key, decrypted.SenderEd25519Key);
    }
}
