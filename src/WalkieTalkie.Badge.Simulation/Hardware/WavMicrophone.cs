using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Simulation.Audio;

namespace WalkieTalkie.Badge.Simulation.Hardware;

/// <summary>
/// A microphone that speaks a WAV clip in real time: a block is ready once the clock has moved on by its duration,
/// as with I2S. Each capture continues the clip where the last one stopped; past its end it hears silence.
/// </summary>
internal sealed class WavMicrophone(RunClock clock, PcmClip? clip, IEnumerable<int> rates) : IAudioCapture
{
    // Resampled up front for every channel rate: resampling when a burst starts would stall every badge's thread.
    private readonly Dictionary<int, PcmClip> _byRate = clip is null ? [] : rates.Distinct().ToDictionary(rate => rate, clip.At);
    private PcmClip? _current;
    private double _startedAt;
    private long _captured;
    private double _clipSeconds;

    /// <summary>When the first sample of the block read last was spoken (run milliseconds).</summary>
    public double LastBlockSpokenAt { get; private set; }

    public void Start(int sampleRate)
    {
        if (clip is not null && !_byRate.TryGetValue(sampleRate, out _current))
        {
            _current = clip.At(sampleRate); // a rate no channel had when the badge was made (a new config)
            _byRate[sampleRate] = _current;
        }

        _startedAt = clock.PreciseMilliseconds;
        _captured = 0;
        SampleRate = sampleRate;
    }

    public int SampleRate { get; private set; }

    public void Stop()
    {
        _clipSeconds += (double)_captured / Math.Max(SampleRate, 1);
        SampleRate = 0;
    }

    public bool Read(short[] samples, int offset, int count)
    {
        if (SampleRate == 0 || (clock.PreciseMilliseconds - _startedAt) * SampleRate / 1000.0 < _captured + count)
        {
            return false;
        }

        var from = (long)Math.Round(_clipSeconds * SampleRate) + _captured;
        var source = _current?.Samples;
        for (var i = 0; i < count; i++)
        {
            var index = from + i;
            samples[offset + i] = source is not null && index < source.Length ? source[index] : (short)0;
        }

        LastBlockSpokenAt = _startedAt + _captured * 1000.0 / SampleRate;
        _captured += count;
        return true;
    }
}
