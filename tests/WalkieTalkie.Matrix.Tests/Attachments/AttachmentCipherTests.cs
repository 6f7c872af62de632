using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Attachments;

namespace WalkieTalkie.Matrix.Tests.Attachments;

public class AttachmentCipherTests
{
    [Fact]
    public void Aes256_ctr_matches_nist_sp800_38a_f55()
    {
        var key = Convert.FromHexString("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        var iv = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        var plaintext = Convert.FromHexString(
            "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
        var expected = "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6";
        Assert.Equal(expected, Convert.ToHexStringLower(AesCtr.Transform(key, iv, plaintext, fullWidthCounter: false)));
    }

    [Fact]
    public void The_v2_counter_wraps_in_its_low_64_bits_and_v0_carries()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var iv = Convert.FromHexString("0102030405060708ffffffffffffffff");
        var twoBlocks = AesCtr.Transform(key, iv, new byte[32], fullWidthCounter: false);
        var wrapped = AesCtr.Transform(key, Convert.FromHexString("01020304050607080000000000000000"), new byte[16], fullWidthCounter: false);
        Assert.Equal(wrapped, twoBlocks[16..]);
        var carried = AesCtr.Transform(key, Convert.FromHexString("01020304050607090000000000000000"), new byte[16], fullWidthCounter: true);
        Assert.Equal(carried, AesCtr.Transform(key, iv, new byte[32], fullWidthCounter: true)[16..]);
    }

    [Fact]
    public void Round_trips_through_the_event_json_with_the_spec_layout()
    {
        var plaintext = RandomNumberGenerator.GetBytes(100_000);
        var encrypted = AttachmentCipher.Encrypt(plaintext, "mxc://hs/abc");
        Assert.Equal(new byte[8], encrypted.File.Iv[8..]);
        Assert.Equal(SHA256.HashData(encrypted.Ciphertext), encrypted.File.CiphertextSha256);

        var json = JsonNode.Parse(encrypted.File.ToJson().ToJsonString())!.AsObject();
        Assert.Equal("v2", json["v"]!.GetValue<string>());
        Assert.Equal("A256CTR", json["key"]!["alg"]!.GetValue<string>());
        var k = json["key"]!["k"]!.GetValue<string>();
        Assert.DoesNotContain('+', k);
        Assert.DoesNotContain('/', k);
        Assert.DoesNotContain('=', k);
        Assert.Equal(plaintext, AttachmentCipher.Decrypt(encrypted.Ciphertext, EncryptedFile.FromJson(json)));
    }

    [Fact]
    public void A_changed_or_truncated_download_is_refused_with_a_hash_mismatch()
    {
        var encrypted = AttachmentCipher.Encrypt("voice"u8, "mxc://hs/abc");
        var changed = (byte[])encrypted.Ciphertext.Clone();
        changed[0] ^= 1;
        Assert.Equal(CryptoError.AttachmentHashMismatch, Assert.Throws<MatrixCryptoException>(() => AttachmentCipher.Decrypt(changed, encrypted.File)).Error);
        Assert.Equal(CryptoError.AttachmentHashMismatch, Assert.Throws<MatrixCryptoException>(() => AttachmentCipher.Decrypt(encrypted.Ciphertext[..^1], encrypted.File)).Error);
    }

    [Theory]
    [InlineData("v", "v9", CryptoError.UnsupportedVersion)]
    [InlineData("iv", "AAAA", CryptoError.InvalidKey)]
    [InlineData("iv", "!!", CryptoError.InvalidBase64)]
    [InlineData("url", null, CryptoError.InvalidJson)]
    public void Bad_file_objects_are_refused(string field, string? value, CryptoError expected)
    {
        var json = AttachmentCipher.Encrypt("x"u8, "mxc://hs/abc").File.ToJson();
        json[field] = value;
        Assert.Equal(expected, Assert.Throws<MatrixCryptoException>(() => EncryptedFile.FromJson(json)).Error);
    }

    [Fact]
    public void A_key_with_the_wrong_algorithm_is_refused()
    {
        var json = AttachmentCipher.Encrypt("x"u8, "mxc://hs/abc").File.ToJson();
        json["key"]!["alg"] = "A128CTR";
        Assert.Equal(CryptoError.InvalidJson, Assert.Throws<MatrixCryptoException>(() => EncryptedFile.FromJson(json)).Error);
        json["key"]!["alg"] = "A256CTR";
        json["key"]!["k"] = "+/+/";
        Assert.Equal(CryptoError.InvalidBase64, Assert.Throws<MatrixCryptoException>(() => EncryptedFile.FromJson(json)).Error);
    }
}
