using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using WalkieTalkie.Media.Bursts;
using WalkieTalkie.Media.Opus;
using WalkieTalkie.Media.Resampling;
using WalkieTalkie.Media.VoiceMessages;

namespace WalkieTalkie.Benchmarks;

/// <summary>
/// The voice-message media path on 10 s of speech-like audio, at the channel's rate: a badge burst (IMA ADPCM WAV)
/// to an Ogg Opus voice message with its waveform and level, and a phone's voice message (Ogg Opus coded at 48 kHz,
/// 24 kbit/s, as Element records) back to the protocol's ADPCM blocks, the latter also without the trellis ADPCM
/// encode to show where the time goes. The "x real time" column is 10 s over the mean: on one core.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class MediaBenchmarks
{
    private const double Seconds = 10;

    private byte[] burstWav = [];
    private byte[] voiceMessage = [];

    [Params(8000, 16000)]
    public int SampleRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        short[] speech = SpeechLikeSignal.Generate(SampleRate, (int)(SampleRate * Seconds));
        burstWav = BadgeBurstEncoder.Encode(speech, SampleRate).ToWav();
        short[] phone = ChannelResampler.Resample(SpeechLikeSignal.Generate(16000, (int)(16000 * Seconds)), 16000, 48000);
        voiceMessage = OggOpusEncoder.Encode(phone, 48000);
    }

    [Benchmark]
    public int BurstToOggOpus() => VoiceMessageEncoder.FromBurstWav(burstWav).File.Length;

    [Benchmark]
    public int OggOpusToBadgeBlocks() => VoiceMessageDecoder.ToBadgeBurst(voiceMessage, SampleRate).Blocks.Count;

    [Benchmark]
    public int OggOpusToPcm() => VoiceMessageDecoder.ToPcm(voiceMessage, SampleRate).Length;

    private sealed class Columns : ManualConfig
    {
        public Columns()
        {
            AddColumn(new RealTimeColumn());
        }
    }

    private sealed class RealTimeColumn : IColumn
    {
        public string Id => nameof(RealTimeColumn);
        public string ColumnName => "x real time";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "10 s of audio / mean time, one core";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var statistics = summary[benchmarkCase]?.ResultStatistics;
            return statistics == null ? "-" : (Seconds * 1e9 / statistics.Mean).ToString("N1");
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
