using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// The Olm message decoders, without the crypto: the bytes as a pre-key message (<see cref="PreKeyMessage.Decode(ReadOnlySpan{byte})"/>,
/// then its inner message) and as a normal message (<see cref="NormalMessage.Decode"/>). Both refuse with
/// <see cref="MatrixCryptoException"/> only.
/// </summary>
public sealed class OlmMessageTarget : FuzzTarget
{
    public override string Description => "Olm PreKeyMessage.Decode (and its inner message) and NormalMessage.Decode";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Matrix"];

    public override FuzzOutcome Run(byte[] input)
    {
        var preKey = Outcome<MatrixCryptoException>(() => NormalMessage.Decode(PreKeyMessage.Decode(input).InnerMessage));
        var normal = Outcome<MatrixCryptoException>(() => NormalMessage.Decode(input));
        return preKey == FuzzOutcome.Accepted || normal == FuzzOutcome.Accepted ? FuzzOutcome.Accepted : FuzzOutcome.Refused;
    }


    public override IEnumerable<byte[]> Seeds()
    {
        var alice = OlmAccount.Create();
        var bob = OlmAccount.Create();
        var oneTimeKey = bob.GenerateOneTimeKeys(1, DateTimeOffset.UnixEpoch).Values.Single();
        var outbound = alice.CreateOutboundSession(bob.Curve25519Key, oneTimeKey);
        var preKey = outbound.Encrypt("{\"type\":\"m.room_key\"}"u8);
        foreach (var seed in WithTruncations(preKey.Body, 40))
        {
            yield return seed;
        }

        var inbound = bob.CreateInboundSession(preKey, alice.Curve25519Key).Session;
        var reply = inbound.Encrypt("{\"type\":\"m.dummy\"}"u8);
        foreach (var seed in WithTruncations(reply.Body, 36))
        {
            yield return seed;
        }
    }
}
