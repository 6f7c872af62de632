using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// The Megolm decoders, without the decryption: the bytes as a group message (<see cref="MegolmMessage.Decode"/>), as
/// the session key of an <c>m.room_key</c> (<see cref="MegolmSessionKey.DecodeSessionKey"/>, whose signature check
/// is part of reading it) and as a session export (<see cref="MegolmSessionKey.DecodeExport"/>). They refuse with
/// <see cref="MatrixCryptoException"/> only.
/// </summary>
public sealed class MegolmMessageTarget : FuzzTarget
{
    public override string Description => "MegolmMessage.Decode, MegolmSessionKey.DecodeSessionKey and DecodeExport";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Matrix"];

    public override FuzzOutcome Run(byte[] input)
    {
        var outcomes = new[]
        {
            Outcome<MatrixCryptoException>(() => MegolmMessage.Decode(input)),
            Outcome<MatrixCryptoException>(() => MegolmSessionKey.DecodeSessionKey(input)),
            Outcome<MatrixCryptoException>(() => MegolmSessionKey.DecodeExport(input)),
        };
        return outcomes.Contains(FuzzOutcome.Accepted) ? FuzzOutcome.Accepted : FuzzOutcome.Refused;
    }


    public override IEnumerable<byte[]> Seeds()
    {
        var outbound = OutboundGroupSession.Create(DateTimeOffset.UnixEpoch);
        var message = UnpaddedBase64.Decode(outbound.Encrypt("{\"type\":\"m.room.message\",\"content\":{}}"u8));
        foreach (var seed in WithTruncations(message, 20))
        {
            yield return seed;
        }

        yield return UnpaddedBase64.Decode(outbound.SessionKey);
        yield return UnpaddedBase64.Decode(InboundGroupSession.FromSessionKey(outbound.SessionKey).Export());
    }
}
