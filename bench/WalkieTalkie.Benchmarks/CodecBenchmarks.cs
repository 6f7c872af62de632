using BenchmarkDotNet.Attributes;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Benchmarks;

/// <summary>
/// IMA ADPCM per 321-sample block: the badge's greedy encoder, the gateway's trellis encoder, the decoder,
/// at 8 and 16 kHz. One operation = one block; the columns add ns per sample and how many times faster
/// than real time one core runs it. Allocated bytes per block must be 0.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerBlockColumns))]
public class CodecBenchmarks
{
    private const int Blocks = 64;
    private const int SamplesPerBlock = ImaAdpcm.DefaultSamplesPerBlock;

    private readonly ImaAdpcmEncoder badge = new();
    private readonly ImaAdpcmTrellisEncoder gateway = new();
    private readonly short[] decoded = new short[SamplesPerBlock];
    private readonly byte[] block = new byte[ImaAdpcm.DefaultBlockBytes];
    private short[] speech = [];
    private byte[] encoded = [];
    private int next;

    [Params(8000, 16000)]
    public int SampleRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        speech = SpeechLikeSignal.Generate(SampleRate, Blocks * SamplesPerBlock);
        encoded = new byte[Blocks * ImaAdpcm.DefaultBlockBytes];
        var encoder = new ImaAdpcmEncoder();
        for (int b = 0; b < Blocks; b++)
        {
            encoder.EncodeBlock(speech, b * SamplesPerBlock, SamplesPerBlock, encoded, b * ImaAdpcm.DefaultBlockBytes);
        }
    }

    // Each call takes the next of 64 blocks, so the measurement averages over quiet and loud passages.
    private int NextBlock() => next = (next + 1) & (Blocks - 1);

    [Benchmark]
    public int BadgeEncode() => badge.EncodeBlock(speech, NextBlock() * SamplesPerBlock, SamplesPerBlock, block, 0);

    [Benchmark]
    public int GatewayEncode() => gateway.EncodeBlock(speech, NextBlock() * SamplesPerBlock, SamplesPerBlock, block, 0);

    [Benchmark]
    public int Decode() => ImaAdpcmDecoder.DecodeBlock(encoded, NextBlock() * ImaAdpcm.DefaultBlockBytes, ImaAdpcm.DefaultBlockBytes, decoded, 0);
}
