using System.Text;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Tests.Interop;

namespace WalkieTalkie.Matrix.Tests.Megolm;

/// <summary>Megolm against libolm 3.2.13 (python3-olm), both directions.</summary>
public sealed class MegolmInteropTests : IDisposable
{
    private readonly LibolmPeer _libolm = new();

    public void Dispose() => _libolm.Dispose();

    [Fact]
    public void Libolm_decrypts_our_messages_across_a_2_8_reseed_and_imports_our_session_key()
    {
        var outbound = OutboundGroupSession.Create(DateTimeOffset.UnixEpoch);
        var created = _libolm.Call("megolm_inbound", ("group", "in"), ("session_key", outbound.SessionKey));
        Assert.Equal(outbound.SessionId, created["session_id"]!.GetValue<string>());

        for (uint i = 0; i < 302; i++)
        {
            var ciphertext = outbound.Encrypt(Encoding.UTF8.GetBytes($"msg {i}"));
            if (i is 0 or 1 or 255 or 256 or 301)
            {
                var decrypted = _libolm.Call("megolm_decrypt", ("group", "in"), ("ciphertext", ciphertext));
                Assert.Equal($"msg {i}", decrypted["plaintext"]!.GetValue<string>());
                Assert.Equal(i, decrypted["index"]!.GetValue<uint>());
            }
        }

        // A session key taken mid-session starts at that index in libolm too.
        var late = _libolm.Call("megolm_inbound", ("group", "late"), ("session_key", outbound.SessionKey));
        Assert.Equal(302, late["first_known_index"]!.GetValue<int>());
        Assert.Equal("after", _libolm.Call("megolm_decrypt", ("group", "late"), ("ciphertext", outbound.Encrypt("after"u8)))["plaintext"]!.GetValue<string>());
    }

    [Fact]
    public void We_decrypt_libolm_messages_across_a_2_8_reseed_and_exports_go_both_ways()
    {
        var libolmOutbound = _libolm.Call("megolm_outbound", ("group", "out"));
        var inbound = InboundGroupSession.FromSessionKey(libolmOutbound["session_key"]!.GetValue<string>());
        Assert.Equal(libolmOutbound["session_id"]!.GetValue<string>(), inbound.SessionId);
        Assert.True(inbound.SigningKeyVerified);

        var kept = new Dictionary<uint, string>();
        for (uint i = 0; i < 302; i++)
        {
            var encrypted = _libolm.Call("megolm_encrypt", ("group", "out"), ("plaintext", $"libolm {i}"));
            Assert.Equal(i, encrypted["index"]!.GetValue<uint>());
            if (i is 0 or 255 or 256 or 257 or 301)
            {
                kept[i] = encrypted["ciphertext"]!.GetValue<string>();
            }
        }
        // Newest first, then older ones: the inbound session goes back from its initial ratchet.
        foreach (var i in kept.Keys.OrderDescending())
        {
            var result = inbound.Decrypt(kept[i]);
            Assert.Equal(i, result.MessageIndex);
            Assert.Equal($"libolm {i}", Encoding.UTF8.GetString(result.Plaintext));
        }

        // Our export at 256 imports into libolm, which then decrypts 257 and 301 but not 255.
        _libolm.Call("megolm_import", ("group", "imported"), ("export", inbound.Export(256)));
        Assert.Equal("libolm 301", _libolm.Call("megolm_decrypt", ("group", "imported"), ("ciphertext", kept[301]))["plaintext"]!.GetValue<string>());
        Assert.Contains("UNKNOWN_MESSAGE_INDEX", Assert.Throws<LibolmException>(() =>
            _libolm.Call("megolm_decrypt", ("group", "imported"), ("ciphertext", kept[255]))).Message);

        // libolm's export at 257 imports into ours, unverified, and cannot go back to 256.
        _libolm.Call("megolm_inbound", ("group", "libolm-in"), ("session_key", libolmOutbound["session_key"]!.GetValue<string>()));
        var export = _libolm.Call("megolm_export", ("group", "libolm-in"), ("index", 257))["export"]!.GetValue<string>();
        var imported = InboundGroupSession.Import(export);
        Assert.False(imported.SigningKeyVerified);
        Assert.Equal(257u, imported.FirstKnownIndex);
        Assert.Equal("libolm 301", Encoding.UTF8.GetString(imported.Decrypt(kept[301]).Plaintext));
        var error = Assert.Throws<WalkieTalkie.Matrix.Crypto.MatrixCryptoException>(() => imported.Decrypt(kept[256]));
        Assert.Equal(WalkieTalkie.Matrix.Crypto.CryptoError.UnknownMessageIndex, error.Error);
    }
}
