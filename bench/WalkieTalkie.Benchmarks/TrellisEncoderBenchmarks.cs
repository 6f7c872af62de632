using BenchmarkDotNet.Attributes;
using WalkieTalkie.Benchmarks.AdpcmComparison;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Benchmarks;

/// <summary>
/// The gateway's trellis IMA ADPCM encoder on the clips of the comparison with ffmpeg (<see cref="AdpcmVersusFfmpeg"/>):
/// espeak-ng speech, the same after an Opus round trip, sox tones, white noise, a full-scale square sweep and the
/// synthetic speech-like signal, at 8 and 16 kHz. One operation is one 321-sample block, the clip's blocks in turn,
/// so the mean is over the whole clip; the columns add ns per sample and times real time on one core.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerBlockColumns))]
public class TrellisEncoderBenchmarks
{
    private const int SamplesPerBlock = ImaAdpcm.DefaultSamplesPerBlock;

    private readonly ImaAdpcmTrellisEncoder encoder = new();
    private readonly byte[] block = new byte[ImaAdpcm.DefaultBlockBytes];
    private short[] clip = [];
    private int blocks;
    private int next;

    [Params("speech", "opus", "tones", "noise", "loud", "speechlike")]
    public string Clip { get; set; } = "speech";

    [Params(8000, 16000)]
    public int SampleRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string folder = Directory.CreateTempSubdirectory("trellis-bench-").FullName;
        try
        {
            var made = ComparisonClip.Make(folder, [Clip], [SampleRate]).Single();
            clip = ClipCodec.Padded(made.Samples, SamplesPerBlock);
            blocks = clip.Length / SamplesPerBlock;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Benchmark]
    public int Encode()
    {
        int at = next;
        next = next + 1 == blocks ? 0 : next + 1;
        return encoder.EncodeBlock(clip, at * SamplesPerBlock, SamplesPerBlock, block, 0);
    }
}
