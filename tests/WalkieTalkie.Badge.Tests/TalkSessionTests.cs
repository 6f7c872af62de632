using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

/// <summary>The talking sub-machine on its own: a microphone, a transport and an observer, no controller.</summary>
public class TalkSessionTests
{
    private const int Samples = 321;

    private readonly FakeClock _clock = new();
    private readonly FakeTransport _transport = new() { IsConnected = true };
    private readonly RecordingObserver _observer = new();
    private readonly FakeCapture _capture;
    private readonly TalkSession _talk;

    public TalkSessionTests()
    {
        _capture = new FakeCapture(_clock);
        _talk = new TalkSession(_capture, new GatewayLink(_transport, "kid-1"), _observer, Samples);
    }

    private static FloorGranted Grant(uint burstId = 500, byte channel = 1, ushort maxTalkSeconds = 30) =>
        new() { Channel = channel, BurstId = burstId, MaxTalkSeconds = maxTalkSeconds };

    /// <summary>Moves the clock a millisecond at a time, stepping the session, until it ends or the time is up.</summary>
    private void RunUntilEnded(int milliseconds)
    {
        for (var i = 0; i < milliseconds && !_talk.HasEnded; i++)
        {
            _clock.Advance(1);
            _talk.Step();
        }
    }

    [Fact]
    public void A_request_asks_for_the_floor_on_the_channel_with_the_emergency_flag()
    {
        _talk.Request(2, emergency: true);

        var request = _transport.Control<FloorRequest>().Single();
        Assert.Equal(2, request.Channel);
        Assert.True(request.IsEmergency);
        Assert.Equal(2, _talk.RequestedChannel);
        Assert.Contains((BadgeEvent.FloorRequested, (byte)2, 0u, 1), _observer.Events);
    }

    [Fact]
    public void A_grant_handed_back_is_released_with_no_frames_and_starts_nothing()
    {
        _talk.HandBack(Grant(burstId: 90, channel: 3));

        var release = _transport.Control<FloorRelease>().Single();
        Assert.Equal(((byte)3, 90u, (ushort)0), (release.Channel, release.BurstId, release.FrameCount));
        Assert.False(_capture.Running);
    }

    [Fact]
    public void A_held_burst_sends_numbered_full_frames_until_released_then_a_last_frame_and_the_release()
    {
        _talk.Begin(Grant(burstId: 500, channel: 2), SampleRate.Wideband, blocksPerFrame: 2, maxTalkSeconds: 60, held: true, _clock.Milliseconds);
        Assert.True(_capture.Running);
        Assert.Equal(16000, _capture.SampleRate);

        _clock.Advance(101); // five blocks of 321 samples at 16 kHz (20.06 ms each)
        for (var i = 0; i < 5; i++)
        {
            Assert.True(_talk.Step());
        }

        Assert.False(_talk.Step()); // the microphone has no sixth block yet
        Assert.Equal(2, _talk.FramesSent);
        _talk.Release();
        Assert.True(_talk.IsFinishing);
        Assert.False(_talk.HasEnded);
        RunUntilEnded(100);

        var frames = _transport.AudioFrames().Select(FrameMaker.Parse).ToList();
        Assert.Equal([0, 1, 2], frames.Select(f => (int)f.Sequence));
        Assert.All(frames, f => Assert.Equal(((byte)2, 500u, SampleRate.Wideband), (f.Channel, f.BurstId, f.RateCode)));
        Assert.Equal([2, 2, 2], frames.Select(f => (int)f.BlockCount));
        Assert.Equal([true, false, false], frames.Select(f => f.IsFirst));
        Assert.Equal([false, false, true], frames.Select(f => f.IsLast));
        var release = _transport.Control<FloorRelease>().Single();
        Assert.Equal(((byte)2, 500u, (ushort)3), (release.Channel, release.BurstId, release.FrameCount));
        Assert.True(_talk.HasEnded);
        Assert.False(_capture.Running);
        Assert.Contains((BadgeEvent.TalkEnded, (byte)2, 500u, 3), _observer.Events);
        Assert.Equal(6, _observer.Captured);
    }

    [Fact]
    public void A_burst_granted_after_push_to_talk_came_up_is_one_block_long()
    {
        _talk.Begin(Grant(), SampleRate.Narrowband, blocksPerFrame: 2, maxTalkSeconds: 60, held: false, _clock.Milliseconds);
        RunUntilEnded(200);

        var frame = FrameMaker.Parse(_transport.AudioFrames().Single());
        Assert.True(frame.IsFirst && frame.IsLast);
        Assert.Equal(1, frame.BlockCount);
        Assert.Equal(1, _transport.Control<FloorRelease>().Single().FrameCount);
    }

    [Fact]
    public void The_talk_time_is_the_shorter_limit_less_one_frame_and_is_reached_once()
    {
        var granted = _clock.Milliseconds;
        // The grant allows 2 s, the badge 60 s; a frame is 2 x 321 samples at 8 kHz: 80 ms.
        _talk.Begin(Grant(maxTalkSeconds: 2), SampleRate.Narrowband, blocksPerFrame: 2, maxTalkSeconds: 60, held: true, granted);

        Assert.False(_talk.ReachMaxTalkTime(granted + 1919));
        Assert.False(_talk.IsFinishing);
        Assert.True(_talk.ReachMaxTalkTime(granted + 1920));
        Assert.True(_talk.IsFinishing);
        Assert.False(_talk.ReachMaxTalkTime(granted + 1921));
        Assert.Single(_observer.Events, e => e.Kind == BadgeEvent.MaxTalkTime && e.Value == 1920);
    }

    [Fact]
    public void The_badge_limit_applies_when_the_grant_allows_more()
    {
        var granted = _clock.Milliseconds;
        _talk.Begin(Grant(maxTalkSeconds: 30), SampleRate.Narrowband, blocksPerFrame: 2, maxTalkSeconds: 1, held: true, granted);

        Assert.False(_talk.ReachMaxTalkTime(granted + 919));
        Assert.True(_talk.ReachMaxTalkTime(granted + 920));
    }

    [Fact]
    public void A_revoked_burst_stops_capturing_at_once_and_sends_no_release()
    {
        _talk.Begin(Grant(burstId: 8), SampleRate.Narrowband, blocksPerFrame: 2, maxTalkSeconds: 60, held: true, _clock.Milliseconds);
        _clock.Advance(80);
        _talk.Step();

        _talk.Revoke(EndReason.Preempted);

        Assert.False(_capture.Running);
        Assert.Empty(_transport.Control<FloorRelease>());
        Assert.Contains((BadgeEvent.FloorRevoked, (byte)1, 8u, (int)EndReason.Preempted), _observer.Events);
        _clock.Advance(200);
        Assert.False(_talk.Step());
    }

    [Fact]
    public void Frames_sent_count_per_burst_and_in_total()
    {
        for (uint burst = 1; burst <= 2; burst++)
        {
            _talk.Begin(Grant(burstId: burst), SampleRate.Narrowband, blocksPerFrame: 1, maxTalkSeconds: 60, held: true, _clock.Milliseconds);
            _clock.Advance(121); // three blocks of 40.1 ms
            for (var i = 0; i < 3; i++)
            {
                Assert.True(_talk.Step());
            }

            _talk.Release();
            RunUntilEnded(100);
            Assert.True(_talk.HasEnded);
            Assert.Equal(4, _talk.FramesSent);
        }

        Assert.Equal(8, _talk.TotalFramesSent);
        // Every burst numbers its frames from 0 again.
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3], _transport.AudioFrames().Select(f => (int)FrameMaker.Parse(f).Sequence));
    }

    [Fact]
    public void Capturing_and_sending_allocate_nothing()
    {
        var transport = new FakeTransport { IsConnected = true, RecordAudio = false };
        var talk = new TalkSession(_capture, new GatewayLink(transport, "kid-1"), new SilentObserver(), Samples);
        talk.Begin(Grant(), SampleRate.Narrowband, blocksPerFrame: 2, maxTalkSeconds: 60, held: true, _clock.Milliseconds);
        _clock.Advance(402);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(talk.Step()); // past the JIT
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _clock.Advance(41);
            talk.Step();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(55, transport.AudioPublished);
        Assert.Equal(0, allocated);
    }
}
