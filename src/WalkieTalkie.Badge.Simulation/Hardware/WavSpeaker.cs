using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Simulation.Audio;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Badge.Simulation.Hardware;

/// <summary>
/// A speaker that sounds in real time and keeps what it sounded on the run's timeline at <see cref="OutputRate"/>:
/// a block written while the speaker is idle starts now, one written while a block sounds follows it. Like the
/// device's I2S queue it takes a block only while little waits: less than <c>queueMilliseconds</c> (at least a block).
/// The device queues about one block; a PC shared with other work may not run the badges' thread for tens of
/// milliseconds, so the virtual badge queues a little more. 8 kHz audio on a 16 kHz timeline is interpolated linearly.
/// </summary>
internal sealed class WavSpeaker(RunClock clock, int outputRate, bool keep, int queueMilliseconds) : IAudioPlayback
{
    private readonly List<short> _timeline = [];
    private int _rate;
    private long _queuedUntil; // in output samples since the run started
    private int _lastBlock = ImaAdpcm.DefaultSamplesPerBlock;
    private short _previous;

    public int OutputRate { get; } = outputRate;


    /// <summary>When the block written last starts sounding (run milliseconds).</summary>
    public double LastBlockSoundsAt { get; private set; }

    public bool Running { get; private set; }

    public void Start(int sampleRate)
    {
        _rate = sampleRate;
        Running = true;
        _previous = 0;
    }

    public void Stop() => Running = false;

    public bool CanWrite => Running && _queuedUntil - Now() < Math.Max(_lastBlock, (long)queueMilliseconds * OutputRate / 1000);

    public void Write(short[] samples, int offset, int count)
    {
        var factor = Math.Max(1, OutputRate / Math.Max(_rate, 1));
        var start = Math.Max(_queuedUntil, Now());
        LastBlockSoundsAt = start * 1000.0 / OutputRate;
        if (keep)
        {
            Pad(start);
            for (var i = 0; i < count; i++)
            {
                var sample = samples[offset + i];
                for (var j = 1; j <= factor; j++)
                {
                    _timeline.Add((short)(_previous + (sample - _previous) * j / factor));
                }

                _previous = sample;
            }
        }

        _lastBlock = count * factor;
        _queuedUntil = start + _lastBlock;
    }

    /// <summary>What was sounded from the start of the run until now (silence where nothing played).</summary>
    public PcmClip Recording()
    {
        Pad(Math.Max(Now(), _queuedUntil));
        return new PcmClip(_timeline.ToArray(), OutputRate);
    }

    private long Now() => (long)(clock.PreciseMilliseconds * OutputRate / 1000.0);

    private void Pad(long until)
    {
        while (_timeline.Count < until)
        {
            _timeline.Add(0);
        }
    }
}
