using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Badge.Tests.Fakes;

/// <summary>
/// A speaker that takes blocks while it holds less than <c>queueMilliseconds</c> (at least a block), like the virtual
/// badge's, and notes when each block begins to sound: right after the one before, or when written if it ran dry.
/// </summary>
public sealed class QueueingPlayback(FakeClock clock, int queueMilliseconds) : IAudioPlayback
{
    private double _queuedUntil;
    private double _lastBlockMs = 40;
    private int _rate = 8000;

    /// <summary>When each block written began to sound (clock milliseconds).</summary>
    public List<double> SoundsAt { get; } = [];

    public bool Running { get; private set; }

    public void Start(int sampleRate)
    {
        _rate = sampleRate;
        Running = true;
    }

    public void Stop() => Running = false;

    public bool CanWrite => Running && _queuedUntil - clock.Milliseconds < Math.Max(_lastBlockMs, queueMilliseconds);

    public void Write(short[] samples, int offset, int count)
    {
        var start = Math.Max(_queuedUntil, clock.Milliseconds);
        SoundsAt.Add(start);
        _lastBlockMs = count * 1000.0 / _rate;
        _queuedUntil = start + _lastBlockMs;
    }
}
