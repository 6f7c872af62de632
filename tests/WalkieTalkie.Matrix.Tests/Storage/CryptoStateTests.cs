using System.Text;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.CrossSigning;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Olm;
using WalkieTalkie.Matrix.Crypto.Storage;
using WalkieTalkie.Matrix.Tests.Olm;

namespace WalkieTalkie.Matrix.Tests.Storage;

public sealed class CryptoStateTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private readonly StoreKey _key = StoreKey.Generate();

    public void Dispose() => _key.Dispose();

    [Fact]
    public void An_account_round_trips_exactly_with_its_keys()
    {
        var account = OlmAccount.Create();
        account.GenerateOneTimeKeys(5, Now);
        account.MarkKeysAsPublished();
        account.GenerateOneTimeKeys(2, Now);
        account.GenerateFallbackKey(Now);
        account.GenerateFallbackKey(Now.AddDays(7));

        var restored = OlmAccount.Load(account.Save(_key, "@u:hs/DEV"), _key, "@u:hs/DEV");
        Assert.Equal(account.ToStateBytes(), restored.ToStateBytes());
        Assert.Equal(account.Ed25519Key, restored.Ed25519Key);
        Assert.Equal(account.Curve25519Key, restored.Curve25519Key);
        Assert.Equal(account.UnpublishedOneTimeKeys, restored.UnpublishedOneTimeKeys);
        Assert.Equal(Now.AddDays(7), restored.FallbackKeyCreatedAt);
        Assert.True(restored.HasPreviousFallbackKey);

        // The restored account still answers a pre-key message to one of its saved keys.
        var (_, key) = restored.UnpublishedOneTimeKeys.First();
        var alice = OlmAccount.Create();
        Assert.Equal("hi", Encoding.UTF8.GetString(restored.CreateInboundSession(alice.CreateOutboundSession(restored.Curve25519Key, key).Encrypt("hi"u8)).Plaintext));
    }

    [Fact]
    public void Olm_sessions_round_trip_exactly_in_every_state()
    {
        var pair = new OlmPair();
        var held = pair.Alice.Encrypt("held"u8);
        pair.Bob.Decrypt(pair.Alice.Encrypt("skips one"u8)); // Bob keeps a skipped key
        pair.Alice.Decrypt(pair.Bob.Encrypt("reply"u8));

        var alice = OlmSession.Load(pair.Alice.Save(_key), _key);
        var bob = OlmSession.Load(pair.Bob.Save(_key), _key);
        Assert.Equal(pair.Alice.ToStateBytes(), alice.ToStateBytes());
        Assert.Equal(pair.Bob.ToStateBytes(), bob.ToStateBytes());
        Assert.Equal(pair.Alice.SessionId, alice.SessionId);

        Assert.Equal("held", Encoding.UTF8.GetString(bob.Decrypt(held)));
        Assert.Equal("after restore", Encoding.UTF8.GetString(bob.Decrypt(alice.Encrypt("after restore"u8))));
        Assert.Equal("and back", Encoding.UTF8.GetString(alice.Decrypt(bob.Encrypt("and back"u8))));
    }

    [Fact]
    public void Group_sessions_round_trip_exactly()
    {
        var outbound = OutboundGroupSession.Create(Now);
        var inbound = InboundGroupSession.FromSessionKey(outbound.SessionKey);
        for (var i = 0; i < 300; i++)
        {
            outbound.Encrypt("x"u8);
        }

        inbound.Decrypt(outbound.Encrypt("advance latest"u8));

        var restoredOut = OutboundGroupSession.Load(outbound.Save(_key), _key);
        var restoredIn = InboundGroupSession.Load(inbound.Save(_key), _key);
        Assert.Equal(outbound.ToStateBytes(), restoredOut.ToStateBytes());
        Assert.Equal(inbound.ToStateBytes(), restoredIn.ToStateBytes());
        Assert.Equal(Now, restoredOut.CreatedAt);
        Assert.Equal(301, restoredOut.MessageCount);
        Assert.Equal("next", Encoding.UTF8.GetString(restoredIn.Decrypt(restoredOut.Encrypt("next"u8)).Plaintext));
        Assert.True(restoredIn.SigningKeyVerified);
    }

    [Fact]
    public void A_cross_signing_identity_round_trips_exactly()
    {
        var identity = CrossSigningIdentity.Create("@walkie-anna:example.org");
        var restored = CrossSigningIdentity.Load(identity.Save(_key), _key);
        Assert.Equal(identity.ToStateBytes(), restored.ToStateBytes());
        Assert.Equal(identity.MasterKey, restored.MasterKey);
        Assert.Equal(identity.SelfSigningKey, restored.SelfSigningKey);
    }

    [Fact]
    public void Sealed_state_needs_the_right_key_context_and_kind_and_detects_tampering()
    {
        var account = OlmAccount.Create();
        var saved = account.Save(_key, "row-1");
        Assert.DoesNotContain(Convert.ToHexString(account.ToStateBytes()[6..38]), Convert.ToHexString(saved));

        using var otherKey = StoreKey.Generate();
        Assert.Equal(CryptoError.CorruptState, Assert.Throws<MatrixCryptoException>(() => OlmAccount.Load(saved, otherKey, "row-1")).Error);
        Assert.Equal(CryptoError.CorruptState, Assert.Throws<MatrixCryptoException>(() => OlmAccount.Load(saved, _key, "row-2")).Error);
        Assert.Equal(CryptoError.CorruptState, Assert.Throws<MatrixCryptoException>(() => OlmSession.Load(saved, _key, "row-1")).Error);
        for (var i = 0; i < saved.Length; i += 7)
        {
            var tampered = (byte[])saved.Clone();
            tampered[i] ^= 1;
            Assert.Equal(CryptoError.CorruptState, Assert.Throws<MatrixCryptoException>(() => OlmAccount.Load(tampered, _key, "row-1")).Error);
        }
        Assert.Equal(CryptoError.CorruptState, Assert.Throws<MatrixCryptoException>(() => OlmAccount.Load(saved[..20], _key, "row-1")).Error);
    }

    [Fact]
    public void Truncated_or_extended_plain_state_is_refused_as_corrupt()
    {
        var pair = new OlmPair();
        var states = new (byte[] Bytes, Func<byte[], object> Read)[]
        {
            (pair.AliceAccount.ToStateBytes(), b => OlmAccount.FromStateBytes(b)),
            (pair.Alice.ToStateBytes(), b => OlmSession.FromStateBytes(b)),
            (pair.Bob.ToStateBytes(), b => OlmSession.FromStateBytes(b)),
            (InboundGroupSession.FromSessionKey(OutboundGroupSession.Create(Now).SessionKey).ToStateBytes(), b => InboundGroupSession.FromStateBytes(b)),
            (OutboundGroupSession.Create(Now).ToStateBytes(), b => OutboundGroupSession.FromStateBytes(b)),
            (CrossSigningIdentity.Create("@u:hs").ToStateBytes(), b => CrossSigningIdentity.FromStateBytes(b)),
        };
        foreach (var (bytes, read) in states)
        {
            read(bytes);
            for (var length = 0; length < bytes.Length; length++)
            {
                Assert.Equal(CryptoError.CorruptState, Assert.Throws<MatrixCryptoException>(() => read(bytes[..length])).Error);
            }

            Assert.Equal(CryptoError.CorruptState, Assert.Throws<MatrixCryptoException>(() => read([.. bytes, 0])).Error);
            var otherVersion = (byte[])bytes.Clone();
            otherVersion[1] = 99;
            Assert.Equal(CryptoError.CorruptState, Assert.Throws<MatrixCryptoException>(() => read(otherVersion)).Error);
        }
    }
}
