using BenchmarkDotNet.Attributes;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Benchmarks;

/// <summary>
/// What sealing one frame's chunk of a recording costs the engine's thread (AES-256-GCM, the file's header as associated
/// data): through OpenSSL (.NET's AesGcm) and through libsodium (NSec), for one 8 kHz frame's block and for four.
/// </summary>
[MemoryDiagnoser]
public class RecordingSealBenchmarks
{
    private RecordingSealer _sealer = null!;
    private byte[] _blocks = [];

    [Params("OpenSSL", "libsodium")]
    public string Implementation { get; set; } = "";

    [Params(164, 656)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _blocks = new byte[Bytes];
        Random.Shared.NextBytes(_blocks);
        _sealer = new RecordingSealer(RecordingKey.Generate(), preferSodium: Implementation == "libsodium");
        _sealer.Begin(8000, 164);
        if (_sealer.Implementation != Implementation)
        {
            throw new InvalidOperationException($"{Implementation} asked for, {_sealer.Implementation} sealing (no AES-NI?)");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _sealer.Dispose();

    [Benchmark]
    public int Seal() => _sealer.Seal(_blocks, final: false).Length;
}
