using BenchmarkDotNet.Attributes;
using WalkieTalkie.Matrix.Crypto.Attachments;

namespace WalkieTalkie.Benchmarks;

/// <summary>
/// Encrypted attachments (AES-256-CTR plus SHA-256 of the ciphertext) on 1 MiB: MB/s = 1.048576 / mean in ms × 1000.
/// A talk burst's Ogg Opus file is 5 to 50 KB, so this is an upper bound on the cost per burst.
/// </summary>
[MemoryDiagnoser]
public class CryptoAttachmentBenchmarks
{
    private byte[] _file = [];
    private AttachmentCipher.Encrypted _encrypted = null!;

    [GlobalSetup]
    public void Setup()
    {
        _file = new byte[1 << 20];
        new Random(7).NextBytes(_file);
        _encrypted = AttachmentCipher.Encrypt(_file);
    }

    [Benchmark]
    public AttachmentCipher.Encrypted Encrypt1MiB() => AttachmentCipher.Encrypt(_file);

    [Benchmark]
    public byte[] Decrypt1MiB() => AttachmentCipher.Decrypt(_encrypted.Ciphertext, _encrypted.File);
}
