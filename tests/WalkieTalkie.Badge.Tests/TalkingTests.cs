using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Tests;

public class TalkingTests
{
    private static AudioFrame Read(byte[] payload)
    {
        var frame = new AudioFrame();
        Assert.Equal(ProtocolError.None, frame.Read(payload, 0, payload.Length));
        return frame;
    }

    [Fact]
    public void Booting_connects_with_an_offline_last_will_subscribes_and_announces_idle()
    {
        var rig = new BadgeRig();
        rig.Badge.Start();
        Assert.Equal(BadgeMode.Connecting, rig.Mode);
        rig.Step();

        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.Equal("wt/v1/kid-1/up/state", rig.Transport.WillTopic);
        Assert.Equal("offline", System.Text.Encoding.ASCII.GetString(rig.Transport.WillPayload!));
        Assert.Equal(["wt/v1/kid-1/down/#"], rig.Transport.Subscriptions);
        var state = rig.Transport.Published.Single();
        Assert.True(state.Retain);
        Assert.Equal(BadgeStatus.Idle, rig.Transport.Control<BadgeState>().Single().Status);
        Assert.Equal(1, rig.Badge.SelectedChannel);
    }

    [Fact]
    public void A_refused_connection_is_retried_after_the_reconnect_delay()
    {
        var rig = new BadgeRig();
        rig.Transport.Reachable = false;
        rig.Badge.Start();
        rig.Run(999);
        Assert.Equal(1, rig.Transport.ConnectAttempts);
        rig.Transport.Reachable = true;
        rig.Run(2);
        Assert.Equal(2, rig.Transport.ConnectAttempts);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
    }

    [Fact]
    public void A_granted_burst_sends_numbered_frames_then_a_last_frame_and_the_release()
    {
        var rig = new BadgeRig().Started();
        var burst = rig.PressAndGrant(burstId: 4242);
        Assert.Contains(Tone.Talk, rig.Indicator.Tones);
        Assert.Equal(8000, rig.Capture.SampleRate);
        Assert.Equal(BadgeStatus.Talking, rig.Transport.Control<BadgeState>().Last().Status);

        rig.Run(1000);
        rig.Buttons.Talk = false;
        rig.Run(200);

        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.False(rig.Capture.Running);
        var frames = rig.Transport.AudioFrames().Select(Read).ToList();
        Assert.True(frames.Count >= 12, $"{frames.Count} frames in a second of talk");
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(burst, frames[i].BurstId);
            Assert.Equal(i, frames[i].Sequence);
            Assert.Equal((byte)1, frames[i].Channel);
            Assert.Equal(i == 0, frames[i].IsFirst);
            Assert.Equal(i == frames.Count - 1, frames[i].IsLast);
            Assert.True(frames[i].BlockCount == 2 || i == frames.Count - 1);
            Assert.Equal(172, frames[i].BlockBytes); // the protocol's block, 337 samples
        }

        var release = rig.Transport.Control<FloorRelease>().Single();
        Assert.Equal(burst, release.BurstId);
        Assert.Equal(frames.Count, release.FrameCount);
        Assert.Equal(frames.Count, rig.Badge.FramesSent);
    }

    [Fact]
    public void The_request_names_the_selected_channel_and_talks_at_its_rate()
    {
        var rig = new BadgeRig().Started();
        rig.Buttons.Channel = true;
        rig.Run(10);
        rig.Buttons.Channel = false;
        rig.Run(1);
        Assert.Equal(2, rig.Badge.SelectedChannel);
        Assert.Contains(Tone.ChannelChanged, rig.Indicator.Tones);

        rig.PressAndGrant();
        Assert.Equal((byte)2, rig.Transport.Control<FloorRequest>().Single().Channel);
        Assert.Equal(16000, rig.Capture.SampleRate);
    }

    [Fact]
    public void No_answer_to_the_request_times_out_into_denied_with_a_busy_tone()
    {
        var rig = new BadgeRig().Started();
        rig.Buttons.Talk = true;
        rig.Run(2999);
        Assert.Equal(BadgeMode.Requesting, rig.Mode);
        rig.Run(2);
        Assert.Equal(BadgeMode.Denied, rig.Mode);
        Assert.True(rig.Observer.Saw(BadgeEvent.GrantTimeout));
        Assert.Equal(Tone.Busy, rig.Indicator.Tones.Last());

        rig.Run(1000);
        Assert.Equal(BadgeMode.Denied, rig.Mode); // held until the button comes up
        rig.Buttons.Talk = false;
        rig.Run(1);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
    }

    [Fact]
    public void A_late_grant_after_the_timeout_is_handed_back_with_zero_frames()
    {
        var rig = new BadgeRig().Started();
        rig.Buttons.Talk = true;
        rig.Run(3100);
        rig.Buttons.Talk = false;
        rig.Run(600);
        rig.Send(new FloorGranted { Channel = 1, BurstId = 9, MaxTalkSeconds = 30 });
        rig.Run(1);

        Assert.Equal(BadgeMode.Idle, rig.Mode);
        var release = rig.Transport.Control<FloorRelease>().Single();
        Assert.Equal((9u, (ushort)0), (release.BurstId, release.FrameCount));
        Assert.Empty(rig.Transport.AudioFrames());
    }

    [Fact]
    public void A_denied_floor_plays_the_busy_tone_and_returns_to_idle_once_released()
    {
        var rig = new BadgeRig().Started();
        rig.Buttons.Talk = true;
        rig.Run(1);
        rig.Send(new FloorDenied { Channel = 1, Reason = DenyReason.Busy, RetryAfterSeconds = 0 });
        rig.Run(1);
        Assert.Equal(BadgeMode.Denied, rig.Mode);
        Assert.Equal(LedState.Busy, rig.Indicator.Led);
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.FloorDenied && e.Value == (int)DenyReason.Busy);
        rig.Buttons.Talk = false;
        rig.Run(600);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.Empty(rig.Transport.AudioFrames());
    }

    [Fact]
    public void A_floor_denied_for_a_collision_across_sites_plays_the_collision_tone()
    {
        var rig = new BadgeRig().Started();
        rig.Buttons.Talk = true;
        rig.Run(1);
        rig.Send(new FloorDenied { Channel = 1, Reason = DenyReason.Collision, RetryAfterSeconds = 0 });
        rig.Run(1);
        Assert.Equal(BadgeMode.Denied, rig.Mode);
        Assert.Equal(Tone.Collision, rig.Indicator.Tones.Last());
        Assert.Equal(LedState.Busy, rig.Indicator.Led);
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.FloorDenied && e.Value == (int)DenyReason.Collision);
        Assert.Empty(rig.Transport.AudioFrames());
    }

    [Theory]
    [InlineData(EndReason.Preempted, Tone.Preempted)]
    [InlineData(EndReason.LeaseLost, Tone.Preempted)]
    [InlineData(EndReason.Collision, Tone.Collision)]
    public void A_revoked_floor_stops_the_frames_at_once_and_plays_its_tone(EndReason reason, Tone tone)
    {
        var rig = new BadgeRig().Started();
        var burst = rig.PressAndGrant();
        rig.Run(500);
        var sent = rig.Transport.AudioFrames().Count;
        rig.Send(new FloorRevoked { Channel = 1, BurstId = burst, Reason = reason });
        rig.Run(1);

        Assert.Equal(BadgeMode.Revoked, rig.Mode);
        Assert.Equal(tone, rig.Indicator.Tones.Last());
        Assert.False(rig.Capture.Running);
        rig.Run(1000);
        Assert.Equal(sent, rig.Transport.AudioFrames().Count);
        Assert.Empty(rig.Transport.Control<FloorRelease>());
        rig.Buttons.Talk = false;
        rig.Run(1);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
    }

    [Fact]
    public void A_revocation_of_another_burst_is_ignored()
    {
        var rig = new BadgeRig().Started();
        rig.PressAndGrant(burstId: 5);
        rig.Send(new FloorRevoked { Channel = 1, BurstId = 6, Reason = EndReason.Preempted });
        rig.Run(100);
        Assert.Equal(BadgeMode.Talking, rig.Mode);
    }

    [Fact]
    public void The_maximum_talk_time_ends_the_burst_one_frame_early_with_a_last_frame()
    {
        var rig = new BadgeRig().Started();
        var burst = rig.PressAndGrant(maxTalkSeconds: 2);
        rig.Run(2500);

        Assert.Equal(BadgeMode.Revoked, rig.Mode); // still held: waits for the release
        Assert.True(rig.Observer.Saw(BadgeEvent.MaxTalkTime));
        var frames = rig.Transport.AudioFrames().Select(Read).ToList();
        Assert.True(frames.Last().IsLast);
        var audioMs = frames.Sum(f => f.BlockCount) * 321 * 1000 / 8000;
        Assert.InRange(audioMs, 1800, 2000);
        Assert.Equal(frames.Count, rig.Transport.Control<FloorRelease>().Single(r => r.BurstId == burst).FrameCount);
        rig.Buttons.Talk = false;
        rig.Run(1);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
    }

    [Fact]
    public void Losing_the_connection_mid_burst_stops_sending_plays_a_tone_and_reconnects()
    {
        var rig = new BadgeRig().Started();
        rig.PressAndGrant();
        rig.Run(400);
        var sent = rig.Transport.AudioFrames().Count;
        rig.Transport.IsConnected = false;
        rig.Transport.Reachable = false;
        rig.Run(1);

        Assert.Equal(BadgeMode.Connecting, rig.Mode);
        Assert.Contains(Tone.ConnectionLost, rig.Indicator.Tones);
        Assert.Equal(LedState.Offline, rig.Indicator.Led);
        Assert.False(rig.Capture.Running);
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.ConnectionLost && e.Value == (int)BadgeMode.Talking);
        rig.Run(3000);
        Assert.Equal(sent, rig.Transport.AudioFrames().Count);

        rig.Transport.Reachable = true;
        rig.Run(1000);
        Assert.Equal(BadgeMode.Idle, rig.Mode); // push-to-talk still held does not talk again by itself
        Assert.Empty(rig.Transport.Control<FloorRequest>().Skip(1));
    }

    [Fact]
    public void Releasing_before_the_grant_returns_to_idle()
    {
        var rig = new BadgeRig().Started();
        rig.Buttons.Talk = true;
        rig.Run(1);
        rig.Buttons.Talk = false;
        rig.Run(1);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
    }
}
