using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Badge.Tests.Fakes;

/// <summary>
/// A speaker that sounds samples at the fake clock's pace and takes a block when less than one block is queued.
/// It keeps what it was given when <see cref="Record"/> is set (tests of zero allocation leave it off).
/// </summary>
public sealed class FakePlayback(FakeClock clock) : IAudioPlayback
{
    private long _startedAt;
    private long _written;
    private int _lastBlock = 321;

    public bool Record { get; set; } = true;

    public List<short[]> Blocks { get; } = [];

    public int SampleRate { get; private set; }

    public bool Running { get; private set; }

    public int BlocksWritten { get; private set; }

    public void Start(int sampleRate)
    {
        SampleRate = sampleRate;
        Running = true;
        _startedAt = clock.Milliseconds;
        _written = 0;
    }

    public void Stop() => Running = false;

    public bool CanWrite
    {
        get
        {
            var sounded = (clock.Milliseconds - _startedAt) * SampleRate / 1000;
            if (_written < sounded)
            {
                _written = sounded; // ran dry: the gap was silence
            }

            return Running && _written - sounded < _lastBlock;
        }
    }

    public void Write(short[] samples, int offset, int count)
    {
        _written += count;
        _lastBlock = count;
        BlocksWritten++;
        if (Record)
        {
            Blocks.Add(samples.AsSpan(offset, count).ToArray());
        }
    }
}
