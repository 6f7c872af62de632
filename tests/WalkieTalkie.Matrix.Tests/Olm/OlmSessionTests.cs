using System.Text;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Tests.Olm;

public class OlmSessionTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Both_sides_agree_on_the_session_id_and_alice_switches_to_normal_messages_after_a_reply()
    {
        var pair = new OlmPair();
        Assert.Equal(pair.Alice.SessionId, pair.Bob.SessionId);
        Assert.Equal(OlmMessageType.PreKey, pair.Alice.Encrypt("x"u8).Type);
        Assert.Equal("hi alice", Text(pair.Alice.Decrypt(pair.Bob.Encrypt("hi alice"u8))));
        Assert.Equal(OlmMessageType.Normal, pair.Alice.Encrypt("x"u8).Type);
    }

    [Fact]
    public void The_one_time_key_goes_only_after_a_successful_decrypt()
    {
        var bob = OlmAccount.Create();
        var (_, key) = bob.GenerateOneTimeKeys(1, Now).Single();
        var alice = OlmAccount.Create();
        var message = alice.CreateOutboundSession(bob.Curve25519Key, key).Encrypt("hello"u8);

        var tampered = message with { Body = (byte[])message.Body.Clone() };
        tampered.Body[^1] ^= 1;
        Assert.Equal(CryptoError.BadMac, Assert.Throws<MatrixCryptoException>(() => bob.CreateInboundSession(tampered)).Error);
        Assert.Equal(1, bob.StoredOneTimeKeyCount);

        Assert.Equal(CryptoError.SessionMismatch,
            Assert.Throws<MatrixCryptoException>(() => bob.CreateInboundSession(message, OlmAccount.Create().Curve25519Key)).Error);
        Assert.Equal("hello", Text(bob.CreateInboundSession(message, alice.Curve25519Key).Plaintext));
        Assert.Equal(0, bob.StoredOneTimeKeyCount);
        Assert.Equal(CryptoError.UnknownOneTimeKey, Assert.Throws<MatrixCryptoException>(() => bob.CreateInboundSession(message)).Error);
    }

    [Fact]
    public void Fallback_keys_keep_current_and_previous_only()
    {
        var bob = OlmAccount.Create();
        bob.GenerateFallbackKey(Now);
        var first = bob.UnpublishedFallbackKey!.Value.Value;
        bob.MarkKeysAsPublished();
        Assert.Null(bob.UnpublishedFallbackKey);
        bob.GenerateFallbackKey(Now);
        var second = bob.UnpublishedFallbackKey!.Value.Value;
        bob.GenerateFallbackKey(Now);

        var alice = OlmAccount.Create();
        Assert.Equal(CryptoError.UnknownOneTimeKey, Assert.Throws<MatrixCryptoException>(() =>
            bob.CreateInboundSession(alice.CreateOutboundSession(bob.Curve25519Key, first).Encrypt("x"u8))).Error);
        var viaPrevious = alice.CreateOutboundSession(bob.Curve25519Key, second).Encrypt("previous"u8);
        Assert.Equal("previous", Text(bob.CreateInboundSession(viaPrevious).Plaintext));
        Assert.True(bob.ForgetPreviousFallbackKey());
        Assert.Equal(CryptoError.UnknownOneTimeKey, Assert.Throws<MatrixCryptoException>(() =>
            bob.CreateInboundSession(alice.CreateOutboundSession(bob.Curve25519Key, second).Encrypt("x"u8))).Error);
    }

    [Fact]
    public void Messages_decrypt_out_of_order_within_the_skipped_key_limit()
    {
        var pair = new OlmPair();
        var messages = Enumerable.Range(0, 50).Select(i => pair.Alice.Encrypt(Encoding.UTF8.GetBytes($"m{i}"))).ToList();
        Assert.Equal("m49", Text(pair.Bob.Decrypt(messages[49])));
        // 49 keys were skipped; the oldest 9 are dropped (MaxSkippedMessageKeys = 40).
        Assert.Equal(CryptoError.MessageKeyNotFound, Assert.Throws<MatrixCryptoException>(() => pair.Bob.Decrypt(messages[8])).Error);
        Assert.Equal("m9", Text(pair.Bob.Decrypt(messages[9])));
        Assert.Equal("m48", Text(pair.Bob.Decrypt(messages[48])));
    }

    [Fact]
    public void A_gap_over_2000_is_refused_and_the_session_still_works()
    {
        var pair = new OlmPair();
        var messages = Enumerable.Range(0, 2003).Select(i => pair.Alice.Encrypt(Encoding.UTF8.GetBytes($"m{i}"))).ToList();
        // The pre-key message "hello" was index 0, so messages[i] has chain index i + 1; Bob's chain is at 1.
        Assert.Equal(CryptoError.MessageGapTooLarge, Assert.Throws<MatrixCryptoException>(() => pair.Bob.Decrypt(messages[2001])).Error);
        Assert.Equal("m2000", Text(pair.Bob.Decrypt(messages[2000])));
        Assert.Equal("m2002", Text(pair.Bob.Decrypt(messages[2002])));
    }

    [Fact]
    public void A_chain_dropped_after_five_newer_ones_no_longer_yields_unskipped_messages()
    {
        foreach (var (turns, decrypts) in new[] { (4, true), (5, false) })
        {
            var pair = new OlmPair();
            pair.Alice.Decrypt(pair.Bob.Encrypt("ack"u8));
            var delivered = pair.Alice.Encrypt("delivered"u8);
            var held = pair.Alice.Encrypt("held"u8); // after the delivered one: never skipped, needs its chain
            Assert.Equal("delivered", Text(pair.Bob.Decrypt(delivered)));
            for (var i = 0; i < turns; i++)
            {
                pair.Alice.Decrypt(pair.Bob.Encrypt("turn"u8));
                pair.Bob.Decrypt(pair.Alice.Encrypt("turn"u8));
            }
            if (decrypts)
            {
                Assert.Equal("held", Text(pair.Bob.Decrypt(held)));
            }
            else
            {
                Assert.Throws<MatrixCryptoException>(() => pair.Bob.Decrypt(held));
            }
        }
    }
}
