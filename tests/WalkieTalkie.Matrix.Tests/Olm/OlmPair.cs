using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Tests.Olm;

/// <summary>Two of our accounts with an established session each way (Alice sent the first, pre-key, message).</summary>
internal sealed class OlmPair
{
    public OlmAccount AliceAccount { get; } = OlmAccount.Create();
    public OlmAccount BobAccount { get; } = OlmAccount.Create();
    public OlmSession Alice { get; }
    public OlmSession Bob { get; }

    public OlmPair()
    {
        var (_, key) = BobAccount.GenerateOneTimeKeys(1, DateTimeOffset.UnixEpoch).Single();
        Alice = AliceAccount.CreateOutboundSession(BobAccount.Curve25519Key, key);
        Bob = BobAccount.CreateInboundSession(Alice.Encrypt("hello"u8), AliceAccount.Curve25519Key).Session;
    }
}
