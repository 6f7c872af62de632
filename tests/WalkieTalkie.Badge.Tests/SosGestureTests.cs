using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

public class SosGestureTests
{
    private static void Hold(BadgeRig rig, int milliseconds)
    {
        rig.Buttons.Channel = true;
        rig.Run(milliseconds);
        rig.Buttons.Channel = false;
        rig.Run(1);
    }

    /// <summary>Holds the second button for the SOS time and answers the emergency floor request with a grant.</summary>
    private static FloorRequest OpenAndGrant(BadgeRig rig, uint burstId = 90)
    {
        Hold(rig, 3_100);
        var request = rig.Transport.Control<FloorRequest>().Last();
        rig.Send(new FloorGranted { Channel = request.Channel, BurstId = burstId, MaxTalkSeconds = 30 });
        rig.Run(1);
        return request;
    }

    [Fact]
    public void A_hold_shorter_than_the_sos_time_toggles_do_not_disturb_as_before_and_opens_no_emergency()
    {
        var rig = new BadgeRig().Started();

        Hold(rig, 2_900);

        Assert.True(Assert.Single(rig.Transport.Control<DoNotDisturb>()).On);
        Assert.Empty(rig.Transport.Control<Emergency>());
        Assert.Empty(rig.Transport.Control<FloorRequest>());
        Assert.False(rig.Badge.EmergencyOpen);
    }

    [Fact]
    public void A_hold_of_the_sos_time_opens_an_emergency_while_still_held_and_toggles_no_do_not_disturb()
    {
        var rig = new BadgeRig().Started();
        rig.Buttons.Channel = true;
        rig.Run(2_990);
        Assert.Empty(rig.Transport.Control<Emergency>());

        rig.Run(20);
        Assert.True(Assert.Single(rig.Transport.Control<Emergency>()).Open);
        Assert.Equal(Tone.EmergencyOpened, rig.Indicator.Tones.Last());
        var request = Assert.Single(rig.Transport.Control<FloorRequest>());
        Assert.True(request.IsEmergency);
        Assert.Equal(BadgeMode.Requesting, rig.Mode);

        rig.Buttons.Channel = false;
        rig.Run(1);
        Assert.Empty(rig.Transport.Control<DoNotDisturb>());
        Assert.True(rig.Badge.EmergencyOpen);
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.EmergencyGesture && e.Value == 1);
    }

    [Fact]
    public void A_single_press_never_opens_an_emergency()
    {
        var rig = new BadgeRig().Started();
        for (var i = 0; i < 5; i++)
        {
            Hold(rig, 40);
            rig.Run(200);
        }

        Assert.Empty(rig.Transport.Control<Emergency>());
    }

    [Fact]
    public void The_emergency_microphone_stays_open_for_its_time_without_push_to_talk_and_then_releases()
    {
        var rig = new BadgeRig(new BadgeOptions { SosMicrophoneSeconds = 4 }).Started();
        OpenAndGrant(rig);
        Assert.Equal(BadgeMode.Talking, rig.Mode);
        Assert.True(rig.Capture.Running);

        // Push-to-talk pressed and let go meanwhile does not close it.
        rig.Buttons.Talk = true;
        rig.Run(100);
        rig.Buttons.Talk = false;
        rig.Run(2_000);
        Assert.Equal(BadgeMode.Talking, rig.Mode);
        Assert.Empty(rig.Transport.Control<FloorRelease>());

        rig.Run(2_200);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        var release = Assert.Single(rig.Transport.Control<FloorRelease>());
        Assert.Equal(90u, release.BurstId);
        Assert.InRange(release.FrameCount, 40, 52); // about 4 s of 80 ms frames
        Assert.Equal(LedState.Emergency, rig.Indicator.Led);
    }

    [Fact]
    public void The_same_hold_cancels_the_open_emergency_and_the_led_shows_idle_again()
    {
        var rig = new BadgeRig(new BadgeOptions { SosMicrophoneSeconds = 2 }).Started();
        OpenAndGrant(rig);
        rig.Run(2_500);
        Assert.Equal(BadgeMode.Idle, rig.Mode);

        Hold(rig, 3_100);

        var sent = rig.Transport.Control<Emergency>();
        Assert.Equal(2, sent.Count);
        Assert.False(sent[1].Open);
        Assert.Equal(Tone.EmergencyClosed, rig.Indicator.Tones.Last());
        Assert.False(rig.Badge.EmergencyOpen);
        Assert.Equal(LedState.Idle, rig.Indicator.Led);
        Assert.Single(rig.Transport.Control<FloorRequest>());
        Assert.Empty(rig.Transport.Control<DoNotDisturb>());
    }

    [Fact]
    public void An_admin_cancel_from_the_gateway_closes_the_badge_s_emergency()
    {
        var rig = new BadgeRig(new BadgeOptions { SosMicrophoneSeconds = 2 }).Started();
        OpenAndGrant(rig);
        rig.Run(2_500);

        rig.Send(new EmergencyState { Open = false, Badge = rig.Settings.BadgeId });
        rig.Run(1);

        Assert.False(rig.Badge.EmergencyOpen);
        Assert.Equal(Tone.EmergencyClosed, rig.Indicator.Tones.Last());
        Assert.Equal(LedState.Idle, rig.Indicator.Led);
    }

    [Fact]
    public void Another_badge_s_emergency_plays_the_alarm_tone()
    {
        var rig = new BadgeRig().Started();

        rig.Send(new EmergencyState { Open = true, Badge = "someone-else" });
        rig.Run(1);

        Assert.Equal(Tone.EmergencyAlarm, rig.Indicator.Tones.Last());
        Assert.False(rig.Badge.EmergencyOpen);
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.EmergencyHeard && e.Value == 1);
    }

    [Fact]
    public void An_emergency_during_playback_takes_the_floor_and_keeps_the_burst_for_later()
    {
        // Frames that stop are given up only after the hold here.
        var rig = new BadgeRig(new BadgeOptions { ReceiveTimeoutMilliseconds = 10_000 }).Started();
        rig.Send(new BurstStart { Channel = 1, BurstId = 12, RateCode = 0, Talker = "anna" });
        rig.Run(1);
        Assert.Equal(BadgeMode.Receiving, rig.Mode);

        Hold(rig, 3_100);

        Assert.False(rig.Observer.Saw(BadgeEvent.ReceiveAbandoned));
        Assert.Equal(BadgeMode.Requesting, rig.Mode);
        Assert.True(Assert.Single(rig.Transport.Control<FloorRequest>()).IsEmergency);
        Assert.True(rig.Badge.Unplayed.Contains(12));
    }
}
