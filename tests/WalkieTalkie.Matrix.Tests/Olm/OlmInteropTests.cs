using System.Text;
using WalkieTalkie.Matrix.Crypto.Olm;
using WalkieTalkie.Matrix.Tests.Interop;

namespace WalkieTalkie.Matrix.Tests.Olm;

/// <summary>Olm against libolm 3.2.13 (python3-olm), both directions, across several ratchet turns.</summary>
public sealed class OlmInteropTests : IDisposable
{
    private readonly LibolmPeer _libolm = new();
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    public void Dispose() => _libolm.Dispose();

    [Fact]
    public void We_start_a_session_and_talk_with_libolm_over_several_ratchet_turns()
    {
        var bob = _libolm.Call("create_account", ("account", "bob"));
        var bobOneTimeKey = _libolm.Call("generate_one_time_keys", ("account", "bob"), ("count", 1))["keys"]!.AsObject().First().Value!.GetValue<string>();
        var alice = OlmAccount.Create();
        var session = alice.CreateOutboundSession(bob["curve25519"]!.GetValue<string>(), bobOneTimeKey);

        // Two pre-key messages before any reply: libolm creates the session from the first, decrypts the second on it.
        var first = session.Encrypt("hello libolm"u8);
        Assert.Equal(OlmMessageType.PreKey, first.Type);
        var created = _libolm.Call("inbound_session", ("account", "bob"), ("session", "s"), ("body", first.BodyBase64),
            ("identity_key", alice.Curve25519Key));
        Assert.Equal("hello libolm", created["plaintext"]!.GetValue<string>());
        Assert.Equal(session.SessionId, created["session_id"]!.GetValue<string>());
        var second = session.Encrypt("second pre-key"u8);
        Assert.Equal(OlmMessageType.PreKey, second.Type);
        Assert.True(_libolm.Call("matches", ("session", "s"), ("body", second.BodyBase64))["matches"]!.GetValue<bool>());
        Assert.Equal("second pre-key", LibolmDecrypt("s", second));

        for (var turn = 0; turn < 4; turn++)
        {
            var reply = _libolm.Call("encrypt", ("session", "s"), ("plaintext", $"libolm turn {turn}"));
            Assert.Equal(1, reply["type"]!.GetValue<int>());
            var plaintext = session.Decrypt(OlmMessage.FromBase64(1, reply["body"]!.GetValue<string>()));
            Assert.Equal($"libolm turn {turn}", Encoding.UTF8.GetString(plaintext));
            for (var i = 0; i < 2; i++)
            {
                var ours = session.Encrypt(Encoding.UTF8.GetBytes($"our turn {turn}.{i}"));
                Assert.Equal(OlmMessageType.Normal, ours.Type);
                Assert.Equal($"our turn {turn}.{i}", LibolmDecrypt("s", ours));
            }
        }
    }

    [Fact]
    public void Libolm_starts_a_session_with_us_and_we_answer()
    {
        var bob = OlmAccount.Create();
        var keys = bob.GenerateOneTimeKeys(3, Now);
        bob.MarkKeysAsPublished();
        var (keyId, oneTimeKey) = keys.Skip(1).First();
        var aliceKeys = _libolm.Call("create_account", ("account", "alice"));
        _libolm.Call("outbound_session", ("account", "alice"), ("session", "s"), ("identity_key", bob.Curve25519Key), ("one_time_key", oneTimeKey));

        var preKey = _libolm.Call("encrypt", ("session", "s"), ("plaintext", "from libolm"));
        Assert.Equal(0, preKey["type"]!.GetValue<int>());
        var message = OlmMessage.FromBase64(0, preKey["body"]!.GetValue<string>());
        var result = bob.CreateInboundSession(message, aliceKeys["curve25519"]!.GetValue<string>());
        Assert.Equal("from libolm", Encoding.UTF8.GetString(result.Plaintext));
        Assert.False(bob.UnpublishedOneTimeKeys.ContainsKey(keyId));
        Assert.Equal(2, bob.StoredOneTimeKeyCount);

        // A second pre-key message from libolm is routed to the same session by its header.
        var again = _libolm.Call("encrypt", ("session", "s"), ("plaintext", "still pre-key"));
        var againMessage = OlmMessage.FromBase64(0, again["body"]!.GetValue<string>());
        Assert.True(result.Session.MatchesInboundSession(PreKeyMessage.Decode(againMessage), aliceKeys["curve25519"]!.GetValue<string>()));
        Assert.Equal("still pre-key", Encoding.UTF8.GetString(result.Session.Decrypt(againMessage)));

        for (var turn = 0; turn < 4; turn++)
        {
            var ours = result.Session.Encrypt(Encoding.UTF8.GetBytes($"bob {turn}"));
            Assert.Equal(OlmMessageType.Normal, ours.Type);
            Assert.Equal($"bob {turn}", LibolmDecrypt("s", ours));
            var theirs = _libolm.Call("encrypt", ("session", "s"), ("plaintext", $"alice {turn}"));
            Assert.Equal(1, theirs["type"]!.GetValue<int>());
            Assert.Equal($"alice {turn}", Encoding.UTF8.GetString(result.Session.Decrypt(OlmMessage.FromBase64(1, theirs["body"]!.GetValue<string>()))));
        }
    }

    [Fact]
    public void Libolm_can_use_our_fallback_key_and_it_is_kept()
    {
        var bob = OlmAccount.Create();
        bob.GenerateFallbackKey(Now);
        var fallback = bob.UnpublishedFallbackKey!.Value;
        bob.MarkKeysAsPublished();
        var aliceKeys = _libolm.Call("create_account", ("account", "alice"));
        _libolm.Call("outbound_session", ("account", "alice"), ("session", "s1"), ("identity_key", bob.Curve25519Key), ("one_time_key", fallback.Value));
        _libolm.Call("outbound_session", ("account", "alice"), ("session", "s2"), ("identity_key", bob.Curve25519Key), ("one_time_key", fallback.Value));

        foreach (var name in new[] { "s1", "s2" })
        {
            var preKey = _libolm.Call("encrypt", ("session", name), ("plaintext", name));
            var result = bob.CreateInboundSession(OlmMessage.FromBase64(0, preKey["body"]!.GetValue<string>()), aliceKeys["curve25519"]!.GetValue<string>());
            Assert.Equal(name, Encoding.UTF8.GetString(result.Plaintext));
        }
    }

    [Fact]
    public void Out_of_order_messages_from_libolm_decrypt_from_skipped_keys()
    {
        var bob = _libolm.Call("create_account", ("account", "bob"));
        var otk = _libolm.Call("generate_one_time_keys", ("account", "bob"), ("count", 1))["keys"]!.AsObject().First().Value!.GetValue<string>();
        var alice = OlmAccount.Create();
        var session = alice.CreateOutboundSession(bob["curve25519"]!.GetValue<string>(), otk);
        _libolm.Call("inbound_session", ("account", "bob"), ("session", "s"), ("body", session.Encrypt("hi"u8).BodyBase64));

        var messages = Enumerable.Range(0, 5).Select(i => _libolm.Call("encrypt", ("session", "s"), ("plaintext", $"m{i}"))).ToList();
        foreach (var i in new[] { 4, 0, 2, 1, 3 })
        {
            Assert.Equal($"m{i}", Encoding.UTF8.GetString(session.Decrypt(OlmMessage.FromBase64(1, messages[i]["body"]!.GetValue<string>()))));
        }
    }

    private string LibolmDecrypt(string session, OlmMessage message) =>
        _libolm.Call("decrypt", ("session", session), ("type", (int)message.Type), ("body", message.BodyBase64))["plaintext"]!.GetValue<string>();
}
