using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

/// <summary>The listening sub-machine on its own: a speaker, a transport and an observer, no controller.</summary>
public class ReceiveSessionTests
{
    private const int TimeoutMilliseconds = 2000;

    private readonly FakeClock _clock = new();
    private readonly FakeTransport _transport = new() { IsConnected = true };
    private readonly RecordingObserver _observer = new();
    private readonly FakePlayback _playback;
    private readonly ReceiveSession _receive;

    public ReceiveSessionTests()
    {
        _playback = new FakePlayback(_clock);
        _receive = NewSession(_transport, _observer);
    }

    private ReceiveSession NewSession(FakeTransport transport, IBadgeObserver observer) =>
        new(_playback, new GatewayLink(transport, "kid-1"), observer, new JitterBuffer(8, 8 * 164, 321, 2), TimeoutMilliseconds);

    /// <summary>Frames of the burst playing arrive now.</summary>
    private void Offer(params byte[][] frames)
    {
        foreach (var frame in frames)
        {
            _receive.Offer(FrameMaker.Parse(frame), _clock.Milliseconds);
        }
    }

    /// <summary>Moves the clock a millisecond at a time, stepping the session, until it ends or the time is up.</summary>
    private void RunUntilEnded(int milliseconds)
    {
        for (var i = 0; i < milliseconds && !_receive.HasEnded; i++)
        {
            _clock.Advance(1);
            _receive.Step(_clock.Milliseconds);
        }
    }

    [Fact]
    public void Beginning_a_burst_starts_the_speaker_at_its_rate_with_an_empty_buffer()
    {
        _receive.Begin(40, 2, SampleRate.Wideband, replay: true, _clock.Milliseconds);

        Assert.True(_playback.Running);
        Assert.Equal(16000, _playback.SampleRate);
        Assert.Equal(40u, _receive.BurstId);
        Assert.Equal(2, _receive.Channel);
        Assert.Equal(0, _receive.Jitter.Received);
        Assert.False(_receive.HasEnded);
        Assert.Contains((BadgeEvent.ReceiveStarted, (byte)2, 40u, 1), _observer.Events);
    }

    [Fact]
    public void A_whole_burst_plays_every_block_in_order_then_tells_the_gateway_it_was_played()
    {
        var frames = FrameMaker.Burst(41, 1, 5, 2);
        _receive.Begin(41, 1, SampleRate.Narrowband, replay: false, _clock.Milliseconds);
        Offer(frames.ToArray());

        RunUntilEnded(2000);

        Assert.True(_receive.HasEnded);
        Assert.Equal(Enumerable.Range(0, 10), _playback.Blocks.Select(FrameMaker.Identify));
        Assert.False(_playback.Running);
        Assert.Equal(41u, _transport.Control<Played>().Single().BurstId);
        Assert.Contains((BadgeEvent.PlayedSent, (byte)1, 41u, 0), _observer.Events);
        Assert.Contains((BadgeEvent.ReceiveEnded, (byte)1, 41u, 10), _observer.Events);
        Assert.True(_receive.WasFinished(41));
    }

    [Fact]
    public void A_block_waits_while_the_speaker_is_full()
    {
        var frames = FrameMaker.Burst(42, 1, 4, 2);
        _receive.Begin(42, 1, SampleRate.Narrowband, replay: false, _clock.Milliseconds);
        Offer(frames[0], frames[1]);

        Assert.True(_receive.Step(_clock.Milliseconds));
        Assert.False(_receive.Step(_clock.Milliseconds)); // one block queued: the speaker takes no more yet
        Assert.Equal(1, _playback.BlocksWritten);
        _clock.Advance(41);
        Assert.True(_receive.Step(_clock.Milliseconds));
        Assert.Equal(2, _playback.BlocksWritten);
    }

    [Fact]
    public void The_frame_count_from_burst_end_closes_a_burst_whose_last_frame_never_came()
    {
        var frames = FrameMaker.Burst(43, 1, 4, 2);
        _receive.Begin(43, 1, SampleRate.Narrowband, replay: false, _clock.Milliseconds);
        Offer(frames[0], frames[1], frames[2]);

        _receive.SetFrameCount(3);
        RunUntilEnded(1000);

        Assert.True(_receive.HasEnded);
        Assert.Equal(Enumerable.Range(0, 6), _playback.Blocks.Select(FrameMaker.Identify));
        Assert.Equal(43u, _transport.Control<Played>().Single().BurstId);
    }

    [Fact]
    public void A_burst_whose_frames_stop_is_given_up_after_the_timeout_without_telling_the_gateway()
    {
        var frames = FrameMaker.Burst(44, 3, 10, 2);
        _receive.Begin(44, 3, SampleRate.Narrowband, replay: false, _clock.Milliseconds);
        Offer(frames[0], frames[1]);
        var lastFrameAt = _clock.Milliseconds;

        RunUntilEnded(5000);

        Assert.True(_receive.HasEnded);
        Assert.Equal(lastFrameAt + TimeoutMilliseconds, _clock.Milliseconds);
        Assert.Empty(_transport.Control<Played>());
        Assert.Contains((BadgeEvent.ReceiveAbandoned, (byte)3, 44u, 4), _observer.Events);
        Assert.False(_playback.Running);
        Assert.True(_receive.WasFinished(44));
    }

    [Fact]
    public void Every_frame_puts_the_give_up_time_off()
    {
        var frames = FrameMaker.Burst(45, 1, 10, 2);
        _receive.Begin(45, 1, SampleRate.Narrowband, replay: false, _clock.Milliseconds);
        Offer(frames[0], frames[1]);
        RunUntilEnded(1500);
        Offer(frames[2], frames[3]);
        var lastFrameAt = _clock.Milliseconds;

        RunUntilEnded(5000);

        Assert.Equal(lastFrameAt + TimeoutMilliseconds, _clock.Milliseconds);
    }

    [Fact]
    public void It_remembers_the_last_eight_bursts_it_finished()
    {
        for (uint burst = 1; burst <= 9; burst++)
        {
            _receive.Begin(burst, 1, SampleRate.Narrowband, replay: false, _clock.Milliseconds);
            RunUntilEnded(3000);
            Assert.True(_receive.HasEnded);
        }

        Assert.False(_receive.WasFinished(1));
        Assert.All(Enumerable.Range(2, 8), burst => Assert.True(_receive.WasFinished((uint)burst)));
        Assert.False(_receive.WasFinished(10));
    }

    [Fact]
    public void An_aborted_burst_stops_the_speaker_and_is_not_finished()
    {
        var frames = FrameMaker.Burst(46, 1, 4, 2);
        _receive.Begin(46, 1, SampleRate.Narrowband, replay: false, _clock.Milliseconds);
        Offer(frames[0]);

        _receive.Abort();

        Assert.False(_playback.Running);
        Assert.False(_receive.HasEnded);
        Assert.False(_receive.WasFinished(46));
        Assert.Empty(_transport.Control<Played>());
        Assert.DoesNotContain(_observer.Events, e => e.Kind is BadgeEvent.ReceiveEnded or BadgeEvent.ReceiveAbandoned);
    }

    [Fact]
    public void Reset_forgets_the_last_burst_but_not_that_it_was_finished()
    {
        _receive.Begin(47, 1, SampleRate.Narrowband, replay: false, _clock.Milliseconds);
        RunUntilEnded(3000);

        _receive.Reset();

        Assert.Equal(0u, _receive.BurstId);
        Assert.True(_receive.WasFinished(47));
    }

    [Fact]
    public void Playing_allocates_nothing()
    {
        _playback.Record = false;
        var receive = NewSession(_transport, new SilentObserver());
        var frames = FrameMaker.Burst(48, 1, 60, 2).Select(FrameMaker.Parse).ToList();
        receive.Begin(48, 1, SampleRate.Narrowband, replay: false, _clock.Milliseconds);
        for (var i = 0; i < 4; i++)
        {
            receive.Offer(frames[i], _clock.Milliseconds);
            _clock.Advance(80);
            receive.Step(_clock.Milliseconds);
            receive.Step(_clock.Milliseconds);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 4; i < 50; i++)
        {
            receive.Offer(frames[i], _clock.Milliseconds);
            for (var ms = 0; ms < 80; ms++)
            {
                _clock.Advance(1);
                receive.Step(_clock.Milliseconds);
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(receive.Jitter.Played >= 80, "the window must hold played blocks");
        Assert.Equal(0, allocated);
    }
}
