using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Badge.Tests.Fakes;

/// <summary>A microphone that delivers a block whenever the fake clock has moved on by a block's duration; the samples are a tone.</summary>
public sealed class FakeCapture(FakeClock clock) : IAudioCapture
{
    private long _startedAt;
    private long _captured;

    public int SampleRate { get; private set; }

    public bool Running { get; private set; }

    public int Starts { get; private set; }

    public int BlocksRead { get; private set; }

    public void Start(int sampleRate)
    {
        SampleRate = sampleRate;
        Running = true;
        Starts++;
        _startedAt = clock.Milliseconds;
        _captured = 0;
    }

    public void Stop() => Running = false;

    public bool Read(short[] samples, int offset, int count)
    {
        if (!Running || (clock.Milliseconds - _startedAt) * SampleRate / 1000 < _captured + count)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            // A 500 Hz triangle: cheap, no floating point, easy to encode.
            var phase = (int)((_captured + i) * 500 * 4 % (4L * SampleRate));
            var ramp = phase * 8000L / SampleRate;
            samples[offset + i] = (short)(ramp < 8000 ? ramp : (ramp < 24000 ? 16000 - ramp : ramp - 32000));
        }

        _captured += count;
        BlocksRead++;
        return true;
    }
}
