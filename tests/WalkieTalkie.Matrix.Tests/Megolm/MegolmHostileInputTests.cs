using System.Text;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Primitives;

namespace WalkieTalkie.Matrix.Tests.Megolm;

/// <summary>Every bad Megolm input is refused with a <see cref="MatrixCryptoException"/> and the session still decrypts.</summary>
public class MegolmHostileInputTests
{
    private readonly OutboundGroupSession _outbound = OutboundGroupSession.Create(DateTimeOffset.UnixEpoch);
    private readonly InboundGroupSession _inbound;

    public MegolmHostileInputTests() => _inbound = InboundGroupSession.FromSessionKey(_outbound.SessionKey);

    private void AssertStillWorks() =>
        Assert.Equal("still fine", Encoding.UTF8.GetString(_inbound.Decrypt(_outbound.Encrypt("still fine"u8)).Plaintext));

    /// <summary>A message with a chosen payload and MAC, correctly signed by the session key (what a sender could forge).</summary>
    private string Signed(byte[] payloadAndMac) =>
        UnpaddedBase64.Encode([.. payloadAndMac, .. _outbound.SigningKey.Sign(payloadAndMac)]);

    [Fact]
    public void A_bad_signature_is_refused()
    {
        var message = UnpaddedBase64.Decode(_outbound.Encrypt("x"u8));
        message[^5] ^= 1;
        Assert.Equal(CryptoError.BadSignature, Assert.Throws<MatrixCryptoException>(() => _inbound.Decrypt(message)).Error);
        var other = OutboundGroupSession.Create(DateTimeOffset.UnixEpoch);
        Assert.Equal(CryptoError.BadSignature, Assert.Throws<MatrixCryptoException>(() => _inbound.Decrypt(other.Encrypt("x"u8))).Error);
        AssertStillWorks();
    }

    [Fact]
    public void A_bad_mac_under_a_valid_signature_is_refused()
    {
        var message = UnpaddedBase64.Decode(_outbound.Encrypt("x"u8));
        var payloadAndMac = message[..^64];
        payloadAndMac[^1] ^= 1;
        Assert.Equal(CryptoError.BadMac, Assert.Throws<MatrixCryptoException>(() => _inbound.Decrypt(Signed(payloadAndMac))).Error);
        AssertStillWorks();
    }

    [Fact]
    public void Every_truncation_and_every_flipped_bit_is_refused()
    {
        var message = UnpaddedBase64.Decode(_outbound.Encrypt("x"u8));
        for (var length = 0; length < message.Length; length++)
        {
            Assert.Throws<MatrixCryptoException>(() => _inbound.Decrypt(message.AsSpan(0, length)));
        }

        for (var i = 0; i < message.Length; i++)
        {
            var copy = (byte[])message.Clone();
            copy[i] ^= 0x40;
            Assert.Throws<MatrixCryptoException>(() => _inbound.Decrypt(copy));
        }
        Assert.Equal("x", Encoding.UTF8.GetString(_inbound.Decrypt(message).Plaintext));
        AssertStillWorks();
    }

    [Fact]
    public void Oversized_indices_and_varints_are_refused()
    {
        var bigIndex = new List<byte> { 3 };
        ProtoCodec.WriteVarintField(bigIndex, 1, (ulong)uint.MaxValue + 1);
        ProtoCodec.WriteBytesField(bigIndex, 2, new byte[16]);
        var overlong = new List<byte> { 3, 0x08 };
        overlong.AddRange(Enumerable.Repeat((byte)0x80, 11));
        var missingCiphertext = new List<byte> { 3, 0x08, 0x00 };
        foreach (var payload in new[] { bigIndex, overlong, missingCiphertext })
        {
            Assert.Equal(CryptoError.MalformedMessage,
                Assert.Throws<MatrixCryptoException>(() => _inbound.Decrypt(Signed([.. payload, .. new byte[8]]))).Error);
        }

        AssertStillWorks();
    }

    [Fact]
    public void A_huge_index_with_a_bad_mac_does_not_move_the_session()
    {
        var payload = MegolmMessage.EncodeWithoutMac(0xFFFFFFF0, new byte[16]);
        Assert.Equal(CryptoError.BadMac, Assert.Throws<MatrixCryptoException>(() => _inbound.Decrypt(Signed([.. payload, .. new byte[8]]))).Error);
        Assert.Equal(0u, _inbound.FirstKnownIndex);
        AssertStillWorks();
    }

    [Fact]
    public void Indices_before_the_first_known_one_are_refused()
    {
        var early = _outbound.Encrypt("early"u8);
        var late = InboundGroupSession.FromSessionKey(_outbound.SessionKey);
        Assert.Equal(1u, late.FirstKnownIndex);
        Assert.Equal(CryptoError.UnknownMessageIndex, Assert.Throws<MatrixCryptoException>(() => late.Decrypt(early)).Error);
        Assert.Equal(CryptoError.UnknownMessageIndex, Assert.Throws<MatrixCryptoException>(() => late.Export(0)).Error);
        Assert.Equal("later", Encoding.UTF8.GetString(late.Decrypt(_outbound.Encrypt("later"u8)).Plaintext));
    }

    [Fact]
    public void Session_keys_with_bad_signatures_versions_or_lengths_are_refused()
    {
        var key = UnpaddedBase64.Decode(_outbound.SessionKey);
        var badSignature = (byte[])key.Clone();
        badSignature[10] ^= 1;
        Assert.Equal(CryptoError.BadSignature, Assert.Throws<MatrixCryptoException>(() => InboundGroupSession.FromSessionKey(UnpaddedBase64.Encode(badSignature))).Error);
        var badVersion = (byte[])key.Clone();
        badVersion[0] = 3;
        Assert.Equal(CryptoError.UnsupportedVersion, Assert.Throws<MatrixCryptoException>(() => InboundGroupSession.FromSessionKey(UnpaddedBase64.Encode(badVersion))).Error);
        Assert.Equal(CryptoError.MalformedMessage, Assert.Throws<MatrixCryptoException>(() => InboundGroupSession.FromSessionKey(UnpaddedBase64.Encode(key[..200]))).Error);
        Assert.Equal(CryptoError.UnsupportedVersion, Assert.Throws<MatrixCryptoException>(() => InboundGroupSession.Import(UnpaddedBase64.Encode(key))).Error);
        Assert.Equal(CryptoError.MalformedMessage, Assert.Throws<MatrixCryptoException>(() => InboundGroupSession.Import(_inbound.Export()[..100])).Error);
        Assert.Equal(CryptoError.InvalidBase64, Assert.Throws<MatrixCryptoException>(() => InboundGroupSession.FromSessionKey("*")).Error);
    }

    [Fact]
    public void The_replay_guard_refuses_a_used_index_for_another_event_only()
    {
        var guard = new MegolmReplayGuard();
        var result = _inbound.Decrypt(_outbound.Encrypt("x"u8));
        guard.Check("!room:hs", _inbound.SessionId, result.MessageIndex, "$event1", 1);
        guard.Check("!room:hs", _inbound.SessionId, result.MessageIndex, "$event1", 1); // the same event again is fine
        Assert.Equal(CryptoError.ReplayedMessage, Assert.Throws<MatrixCryptoException>(() =>
            guard.Check("!room:hs", _inbound.SessionId, result.MessageIndex, "$event2", 2)).Error);

        var restored = new MegolmReplayGuard();
        foreach (var entry in guard.Entries)
        {
            restored.Restore(entry);
        }

        Assert.Equal(CryptoError.ReplayedMessage, Assert.Throws<MatrixCryptoException>(() =>
            restored.Check("!room:hs", _inbound.SessionId, result.MessageIndex, "$event3", 3)).Error);
        restored.Check("!room:hs", _inbound.SessionId, result.MessageIndex + 1, "$event3", 3);
    }

    [Fact]
    public void Rotation_follows_the_room_settings()
    {
        var policy = MegolmRotationPolicy.FromEncryptionEvent(System.Text.Json.Nodes.JsonNode.Parse(
            "{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"rotation_period_ms\":3600000,\"rotation_period_msgs\":2}")!.AsObject());
        Assert.Equal(TimeSpan.FromHours(1), policy.Period);
        var session = OutboundGroupSession.Create(DateTimeOffset.UnixEpoch);
        Assert.False(session.NeedsRotation(policy, DateTimeOffset.UnixEpoch));
        session.Encrypt("1"u8);
        Assert.False(session.NeedsRotation(policy, DateTimeOffset.UnixEpoch.AddMinutes(59)));
        Assert.True(session.NeedsRotation(policy, DateTimeOffset.UnixEpoch.AddHours(1)));
        session.Encrypt("2"u8);
        Assert.True(session.NeedsRotation(policy, DateTimeOffset.UnixEpoch));

        var defaults = MegolmRotationPolicy.FromEncryptionEvent(System.Text.Json.Nodes.JsonNode.Parse("{\"rotation_period_msgs\":-5,\"rotation_period_ms\":\"x\"}")!.AsObject());
        Assert.Equal(MegolmRotationPolicy.Default, defaults);
    }
}
