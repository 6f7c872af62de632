using BenchmarkDotNet.Attributes;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Benchmarks;

/// <summary>
/// The audio frame on its own, without the codec: serialising a header in front of blocks already in the
/// buffer, and parsing a received frame, each with one block (the badge's 20 ms frame) and eight (the
/// largest). Allocated bytes per frame must be 0: both run for every frame on the badge and the gateway.
/// </summary>
[MemoryDiagnoser]
public class FrameBenchmarks
{
    private readonly AudioFrame frame = new();
    private byte[] buffer = [];
    private int length;
    private ushort sequence;

    [Params(1, 8)]
    public int Blocks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        buffer = new byte[AudioFrame.LengthFor(Blocks, ImaAdpcm.DefaultBlockBytes)];
        length = Serialise();
    }

    [Benchmark]
    public int Serialise() => AudioFrame.WriteHeader(buffer, 0, 3, FrameFlags.First, 0xC0FFEE, sequence++,
        SampleRate.Narrowband, Blocks, ImaAdpcm.DefaultBlockBytes);

    [Benchmark]
    public int Parse() => (int)frame.Read(buffer, 0, length) + frame.BlockBytes;
}
