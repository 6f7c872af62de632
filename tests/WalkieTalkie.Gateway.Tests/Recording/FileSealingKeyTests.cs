using System.Security.Cryptography;
using NSec.Cryptography;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Gateway.Tests.Recording;

/// <summary>
/// A recording's chunks are sealed with libsodium's AES-256-GCM where the processor allows it, OpenSSL's elsewhere, and
/// read with .NET's (OpenSSL): both must make the very same bytes, so a file reads the same whichever gateway wrote it.
/// </summary>
public sealed class FileSealingKeyTests
{
    [Fact]
    public void Libsodium_seals_wherever_the_processor_has_what_its_AES_GCM_needs()
    {
        using var sealing = FileSealingKey.For(RandomNumberGenerator.GetBytes(32));
        Assert.Equal(Aes256Gcm.IsSupported ? "libsodium" : "OpenSSL", sealing.Implementation);
        using var told = FileSealingKey.For(RandomNumberGenerator.GetBytes(32), preferSodium: false);
        Assert.Equal("OpenSSL", told.Implementation);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(164)]
    [InlineData(RecordingFormat.MaxChunkLength)]
    public void Both_seal_to_the_same_bytes_and_dotnet_opens_them(int length)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var header = RandomNumberGenerator.GetBytes(RecordingFormat.HeaderLength);
        var plaintext = RandomNumberGenerator.GetBytes(length);
        using var sodium = FileSealingKey.For(key);
        using var openSsl = FileSealingKey.For(key, preferSodium: false);
        var bySodium = new byte[length + RecordingKey.TagLength];
        var byOpenSsl = new byte[length + RecordingKey.TagLength];

        sodium.Seal(nonce, plaintext, bySodium, header);
        openSsl.Seal(nonce, plaintext, byOpenSsl, header);

        Assert.Equal(byOpenSsl, bySodium);
        using var aes = new AesGcm(key, RecordingKey.TagLength);
        var opened = new byte[length];
        aes.Decrypt(nonce, bySodium.AsSpan(0, length), bySodium.AsSpan(length), opened, header);
        Assert.Equal(plaintext, opened);
        bySodium[^1] ^= 1;
        Assert.Throws<AuthenticationTagMismatchException>(() => aes.Decrypt(nonce, bySodium.AsSpan(0, length), bySodium.AsSpan(length), opened, header));
    }

    [Fact]
    public void A_recording_sealed_either_way_reads_back_the_same()
    {
        var key = RecordingKey.Generate();
        var blocks = RandomNumberGenerator.GetBytes(164 * 5);
        var files = new[] { true, false }.Select(preferSodium =>
        {
            using var sealer = new RecordingSealer(key, preferSodium);
            var file = new List<byte>(sealer.Begin(8000, 164).ToArray());
            for (var b = 0; b < 5; b++)
            {
                file.AddRange(sealer.Seal(blocks.AsSpan(b * 164, 164), final: b == 4).ToArray());
            }

            return file.ToArray();
        }).ToArray();

        foreach (var file in files)
        {
            var read = new RecordingReader(key).Read(file);
            Assert.True(read.Sealed);
            Assert.True(read.Finished);
            Assert.Equal(blocks, read.Blocks);
        }
    }
}
