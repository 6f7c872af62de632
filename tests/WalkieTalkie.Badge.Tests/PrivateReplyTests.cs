using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Tests;

/// <summary>
/// The double press of push-to-talk: the first press asks for the channel's floor at once (a single press is
/// unchanged), a second press within the window asks to answer the last talker privately, a slow one is a normal press.
/// </summary>
public class PrivateReplyTests
{
    private static void Tap(BadgeRig rig, int heldMilliseconds)
    {
        rig.Buttons.Talk = true;
        rig.Run(heldMilliseconds);
        rig.Buttons.Talk = false;
    }

    [Fact]
    public void A_single_press_asks_for_the_channel_floor_in_the_same_step_and_nothing_private()
    {
        var rig = new BadgeRig().Started();
        rig.Buttons.Talk = true;
        rig.Run(1);

        Assert.Equal(BadgeMode.Requesting, rig.Mode);
        Assert.Equal((byte)1, rig.Transport.Control<FloorRequest>().Single().Channel);
        Assert.Empty(rig.Transport.Control<ReplyRequest>());
        rig.Run(1000);
        Assert.Empty(rig.Transport.Control<ReplyRequest>());
    }

    [Fact]
    public void A_second_press_within_the_window_asks_for_a_private_reply_and_its_grant_talks_with_the_private_tone_and_led()
    {
        var rig = new BadgeRig().Started();
        Tap(rig, 120);
        rig.Run(150);
        Assert.Equal(BadgeMode.Idle, rig.Mode);

        rig.Buttons.Talk = true;
        rig.Run(1);
        Assert.Equal(BadgeMode.Requesting, rig.Mode);
        Assert.Single(rig.Transport.Control<FloorRequest>());
        Assert.Equal((byte)1, rig.Transport.Control<ReplyRequest>().Single().Channel);
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.ReplyRequested && e.Channel == 1);

        rig.Send(new ReplyGranted { Channel = 1, BurstId = 900, MaxTalkSeconds = 30, To = "Mama" });
        rig.Run(1);
        Assert.Equal(BadgeMode.Talking, rig.Mode);
        Assert.Equal(Tone.PrivateTalk, rig.Indicator.Tones.Last());
        Assert.Equal(LedState.PrivateTalking, rig.Indicator.Led);

        rig.Run(500);
        rig.Buttons.Talk = false;
        rig.Run(200);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        var frames = rig.Transport.AudioFrames().Select(p =>
        {
            var frame = new AudioFrame();
            frame.Read(p, 0, p.Length);
            return frame;
        }).ToList();
        Assert.NotEmpty(frames);
        Assert.All(frames, f => Assert.Equal(900u, f.BurstId));
        Assert.Equal(frames.Count, rig.Transport.Control<FloorRelease>().Single(r => r.BurstId == 900).FrameCount);
    }

    [Fact]
    public void A_second_press_after_the_window_is_a_normal_press()
    {
        var rig = new BadgeRig(new BadgeOptions { DoublePressMilliseconds = 400 }).Started();
        Tap(rig, 100);
        rig.Run(350);

        rig.Buttons.Talk = true;
        rig.Run(1);
        Assert.Equal(BadgeMode.Requesting, rig.Mode);
        Assert.Equal(2, rig.Transport.Control<FloorRequest>().Count());
        Assert.Empty(rig.Transport.Control<ReplyRequest>());
    }

    [Fact]
    public void A_third_quick_press_starts_over_as_a_normal_press()
    {
        var rig = new BadgeRig().Started();
        Tap(rig, 60);
        rig.Run(60);
        Tap(rig, 60);
        rig.Run(3100);
        Assert.Single(rig.Transport.Control<ReplyRequest>());

        rig.Buttons.Talk = true;
        rig.Run(1);
        Assert.Equal(2, rig.Transport.Control<FloorRequest>().Count());
        Assert.Single(rig.Transport.Control<ReplyRequest>());
    }

    [Fact]
    public void A_channel_grant_that_comes_while_a_reply_is_awaited_is_handed_back()
    {
        var rig = new BadgeRig().Started();
        Tap(rig, 80);
        rig.Run(80);
        rig.Buttons.Talk = true;
        rig.Run(1);

        rig.Send(new FloorGranted { Channel = 1, BurstId = 41, MaxTalkSeconds = 30 });
        rig.Run(1);
        Assert.Equal(BadgeMode.Requesting, rig.Mode);
        var handedBack = rig.Transport.Control<FloorRelease>().Single();
        Assert.Equal(41u, handedBack.BurstId);
        Assert.Equal(0, handedBack.FrameCount);
        Assert.Empty(rig.Transport.AudioFrames());
    }

    [Fact]
    public void A_first_press_whose_burst_still_closes_is_followed_by_the_reply_request()
    {
        var rig = new BadgeRig().Started();
        rig.PressAndGrant(burstId: 50);
        rig.Run(100);
        rig.Buttons.Talk = false;
        rig.Step();
        Assert.Equal(BadgeMode.Talking, rig.Mode);

        // Pressed again before the closing block was captured: the reply waits for the burst's release.
        rig.Buttons.Talk = true;
        rig.Step();
        Assert.Empty(rig.Transport.Control<ReplyRequest>());
        rig.Run(100);
        Assert.Equal(50u, rig.Transport.Control<FloorRelease>().Single().BurstId);
        Assert.Single(rig.Transport.Control<ReplyRequest>());
        Assert.Equal(BadgeMode.Requesting, rig.Mode);
    }

    [Fact]
    public void A_refused_reply_plays_the_busy_tone_and_the_badge_is_idle_again()
    {
        var rig = new BadgeRig().Started();
        Tap(rig, 80);
        rig.Run(80);
        rig.Buttons.Talk = true;
        rig.Run(1);

        rig.Send(new ReplyDenied { Channel = 1, Reason = ReplyDenyReason.NoOneToReply });
        rig.Run(1);
        Assert.Equal(BadgeMode.Denied, rig.Mode);
        Assert.Equal(Tone.Busy, rig.Indicator.Tones.Last());
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.ReplyDenied && e.Value == (int)ReplyDenyReason.NoOneToReply);
        rig.Buttons.Talk = false;
        rig.Run(600);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
    }

    [Fact]
    public void A_reply_grant_nobody_asked_for_is_handed_back()
    {
        var rig = new BadgeRig().Started();
        rig.Send(new ReplyGranted { Channel = 1, BurstId = 77, MaxTalkSeconds = 30, To = "Mama" });
        rig.Run(1);

        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.Equal(77u, rig.Transport.Control<FloorRelease>().Single().BurstId);
        Assert.False(rig.Capture.Running);
    }

    [Fact]
    public void A_private_burst_announced_by_reply_incoming_plays_with_the_private_tone_and_led_and_others_as_before()
    {
        var rig = new BadgeRig().Started();
        rig.Send(new ReplyIncoming { Channel = 1, BurstId = 600 });
        rig.Send(new BurstStart { Channel = 1, BurstId = 600, RateCode = 0, Talker = "Mama" });
        rig.Run(1);
        Assert.Equal(BadgeMode.Receiving, rig.Mode);
        Assert.Equal(Tone.PrivateIncoming, rig.Indicator.Tones.Last());
        Assert.Equal(LedState.PrivateReceiving, rig.Indicator.Led);
        foreach (var frame in FrameMaker.Burst(600, 1, 3, 2))
        {
            rig.SendFrame(frame);
            rig.Run(80);
        }

        rig.Send(new BurstEnd { Channel = 1, BurstId = 600, Reason = EndReason.Released, FrameCount = 3 });
        rig.Run(500);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.Equal(600u, rig.Transport.Control<Played>().Single().BurstId);

        var tones = rig.Indicator.Tones.Count;
        rig.Send(new BurstStart { Channel = 1, BurstId = 601, RateCode = 0, Talker = "Papa" });
        rig.Run(1);
        Assert.Equal(LedState.Receiving, rig.Indicator.Led);
        Assert.DoesNotContain(Tone.PrivateIncoming, rig.Indicator.Tones.Skip(tones));
    }
}
