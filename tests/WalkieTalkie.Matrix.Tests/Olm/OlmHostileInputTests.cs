using System.Text;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Olm;
using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Tests.Olm;

/// <summary>Every bad Olm input is refused with a <see cref="MatrixCryptoException"/> and leaves the session usable.</summary>
public class OlmHostileInputTests
{
    private static readonly string ZeroKey = UnpaddedBase64.Encode(new byte[32]);

    private static void AssertStillWorks(OlmPair pair)
    {
        Assert.Equal("still fine", Encoding.UTF8.GetString(pair.Bob.Decrypt(pair.Alice.Encrypt("still fine"u8))));
        Assert.Equal("both ways", Encoding.UTF8.GetString(pair.Alice.Decrypt(pair.Bob.Encrypt("both ways"u8))));
    }

    private static OlmPair Established()
    {
        var pair = new OlmPair();
        pair.Alice.Decrypt(pair.Bob.Encrypt("ack"u8));
        return pair;
    }

    [Fact]
    public void Flipped_bits_anywhere_fail_the_mac_or_the_parse()
    {
        var pair = Established();
        var message = pair.Alice.Encrypt("secret"u8);
        for (var i = 0; i < message.Body.Length; i++)
        {
            var body = (byte[])message.Body.Clone();
            body[i] ^= 0x01;
            var error = Assert.Throws<MatrixCryptoException>(() => pair.Bob.Decrypt(message with { Body = body }));
            Assert.Contains(error.Error, new[] { CryptoError.BadMac, CryptoError.MalformedMessage, CryptoError.UnsupportedVersion,
                CryptoError.UnexpectedRatchetKey, CryptoError.MessageGapTooLarge, CryptoError.MessageKeyNotFound, CryptoError.NonContributoryKey, CryptoError.InvalidKey });
        }
        Assert.Equal("secret", Encoding.UTF8.GetString(pair.Bob.Decrypt(message)));
        AssertStillWorks(pair);
    }

    [Fact]
    public void A_bad_mac_is_reported_as_such()
    {
        var pair = Established();
        var message = pair.Alice.Encrypt("secret"u8);
        var body = (byte[])message.Body.Clone();
        body[^1] ^= 0x80;
        Assert.Equal(CryptoError.BadMac, Assert.Throws<MatrixCryptoException>(() => pair.Bob.Decrypt(message with { Body = body })).Error);
        AssertStillWorks(pair);
    }

    [Fact]
    public void Every_truncation_is_refused()
    {
        var pair = new OlmPair();
        foreach (var message in new[] { pair.Alice.Encrypt("pre-key"u8), Established().Alice.Encrypt("normal"u8) })
        {
            for (var length = 0; length < message.Body.Length; length++)
            {
                Assert.Throws<MatrixCryptoException>(() => pair.Bob.Decrypt(message with { Body = message.Body[..length] }));
            }
        }
        AssertStillWorks(pair);
    }

    [Fact]
    public void A_replayed_message_is_refused()
    {
        var pair = Established();
        var message = pair.Alice.Encrypt("once"u8);
        pair.Bob.Decrypt(message);
        Assert.Equal(CryptoError.MessageKeyNotFound, Assert.Throws<MatrixCryptoException>(() => pair.Bob.Decrypt(message)).Error);
        AssertStillWorks(pair);
    }

    [Fact]
    public void All_zero_keys_are_refused_when_starting_sessions()
    {
        var bob = OlmAccount.Create();
        var (_, oneTimeKey) = bob.GenerateOneTimeKeys(1, DateTimeOffset.UnixEpoch).Single();
        var alice = OlmAccount.Create();
        Assert.Equal(CryptoError.NonContributoryKey, Assert.Throws<MatrixCryptoException>(() => alice.CreateOutboundSession(ZeroKey, oneTimeKey)).Error);
        Assert.Equal(CryptoError.NonContributoryKey, Assert.Throws<MatrixCryptoException>(() => alice.CreateOutboundSession(bob.Curve25519Key, ZeroKey)).Error);

        // A pre-key message whose identity or base key is all zeros: refused, and the one-time key is kept.
        var genuine = PreKeyMessage.Decode(alice.CreateOutboundSession(bob.Curve25519Key, oneTimeKey).Encrypt("x"u8));
        var zeroIdentity = PreKeyMessage.Encode(genuine.OneTimeKey, genuine.BaseKey, new byte[32], genuine.InnerMessage);
        var zeroBase = PreKeyMessage.Encode(genuine.OneTimeKey, new byte[32], genuine.IdentityKey, genuine.InnerMessage);
        foreach (var body in new[] { zeroIdentity, zeroBase })
        {
            Assert.Equal(CryptoError.NonContributoryKey,
                Assert.Throws<MatrixCryptoException>(() => bob.CreateInboundSession(new OlmMessage(OlmMessageType.PreKey, body))).Error);
        }

        Assert.Equal(1, bob.StoredOneTimeKeyCount);
    }

    [Fact]
    public void An_all_zero_ratchet_key_is_refused_without_changing_the_session()
    {
        var pair = Established();
        pair.Bob.Decrypt(pair.Alice.Encrypt("x"u8));
        pair.Bob.Encrypt("bob has a sending chain now"u8);
        var forged = NormalMessage.EncodeWithoutMac(new byte[32], 0, new byte[16]);
        var body = forged.Concat(new byte[8]).ToArray();
        Assert.Equal(CryptoError.NonContributoryKey,
            Assert.Throws<MatrixCryptoException>(() => pair.Bob.Decrypt(new OlmMessage(OlmMessageType.Normal, body))).Error);
        AssertStillWorks(pair);
    }

    [Fact]
    public void Oversized_counters_and_varints_are_refused()
    {
        var pair = Established();
        var genuine = NormalMessage.Decode(pair.Alice.Encrypt("x"u8).Body);
        var mac = new byte[8];

        var bigIndex = new List<byte> { 3 };
        ProtoCodec.WriteBytesField(bigIndex, 1, genuine.RatchetKey);
        ProtoCodec.WriteVarintField(bigIndex, 2, (ulong)uint.MaxValue + 1);
        ProtoCodec.WriteBytesField(bigIndex, 4, genuine.Ciphertext);
        var tooLong = new List<byte> { 3, 0x10 };
        tooLong.AddRange(Enumerable.Repeat((byte)0xFF, 11));
        var lengthBeyondEnd = new List<byte> { 3, 0x0A, 0xFF, 0xFF, 0x03 };
        var wrongWireType = new List<byte> { 3, 0x0A | 0x01 };
        var ratchetAsVarint = new List<byte> { 3, 0x08, 0x01 };

        foreach (var payload in new[] { bigIndex, tooLong, lengthBeyondEnd, wrongWireType, ratchetAsVarint })
        {
            var body = payload.Concat(mac).ToArray();
            Assert.Equal(CryptoError.MalformedMessage,
                Assert.Throws<MatrixCryptoException>(() => pair.Bob.Decrypt(new OlmMessage(OlmMessageType.Normal, body))).Error);
        }
        Assert.Equal(CryptoError.MessageGapTooLarge, Assert.Throws<MatrixCryptoException>(() =>
            pair.Bob.Decrypt(new OlmMessage(OlmMessageType.Normal,
                NormalMessage.EncodeWithoutMac(genuine.RatchetKey, uint.MaxValue, genuine.Ciphertext).Concat(mac).ToArray()))).Error);
        AssertStillWorks(pair);
    }

    [Fact]
    public void Unknown_versions_and_types_are_refused()
    {
        var pair = Established();
        var message = pair.Alice.Encrypt("x"u8);
        var body = (byte[])message.Body.Clone();
        body[0] = 4;
        Assert.Equal(CryptoError.UnsupportedVersion, Assert.Throws<MatrixCryptoException>(() => pair.Bob.Decrypt(message with { Body = body })).Error);
        Assert.Equal(CryptoError.MalformedMessage, Assert.Throws<MatrixCryptoException>(() => OlmMessage.FromBase64(2, "AAAA")).Error);
        Assert.Equal(CryptoError.InvalidBase64, Assert.Throws<MatrixCryptoException>(() => OlmMessage.FromBase64(1, "not base64!")).Error);
        Assert.Equal("x", Encoding.UTF8.GetString(pair.Bob.Decrypt(message)));
    }

    [Fact]
    public void A_pre_key_message_for_another_session_is_refused()
    {
        var pair = new OlmPair();
        var other = new OlmPair();
        Assert.Equal(CryptoError.SessionMismatch, Assert.Throws<MatrixCryptoException>(() => pair.Bob.Decrypt(other.Alice.Encrypt("x"u8))).Error);
        AssertStillWorks(pair);
    }

    [Fact]
    public void Unknown_fields_are_skipped()
    {
        var pair = Established();
        var genuine = NormalMessage.Decode(pair.Alice.Encrypt("x"u8).Body);
        // Re-encode with an extra unknown field; the MAC then fails, but only after a successful parse.
        var payload = new List<byte> { 3 };
        ProtoCodec.WriteVarintField(payload, 7, 42);
        ProtoCodec.WriteBytesField(payload, 1, genuine.RatchetKey);
        ProtoCodec.WriteVarintField(payload, 2, genuine.ChainIndex);
        ProtoCodec.WriteBytesField(payload, 9, "ignored"u8);
        ProtoCodec.WriteBytesField(payload, 4, genuine.Ciphertext);
        var parsed = NormalMessage.Decode(payload.Concat(genuine.Mac).ToArray());
        Assert.Equal(genuine.ChainIndex, parsed.ChainIndex);
        Assert.Equal(genuine.Ciphertext, parsed.Ciphertext);
    }
}
