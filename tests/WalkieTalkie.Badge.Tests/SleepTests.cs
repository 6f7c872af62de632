using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

public class SleepTests
{
    private static BadgeOptions Sleepy(int standbyAfter = 1_000, int pocketAfter = 0) => new()
    {
        StandbyAfterMilliseconds = standbyAfter,
        PocketAfterMilliseconds = pocketAfter,
    };

    private static BadgeRig InStandby()
    {
        var rig = new BadgeRig(Sleepy()).Started();
        rig.Run(1_001);
        Assert.Equal(BadgeMode.Standby, rig.Mode);
        return rig;
    }

    private static BadgeRig InPocket(ushort checkInSeconds = 60)
    {
        var config = BadgeRig.DefaultConfig();
        config.CheckInSeconds = checkInSeconds;
        var rig = new BadgeRig(Sleepy(pocketAfter: 2_000), config).Started();
        rig.Run(3_001);
        Assert.Equal(BadgeMode.Pocket, rig.Mode);
        return rig;
    }

    [Fact]
    public void Idle_long_enough_announces_standby_then_powers_the_audio_path_down()
    {
        var rig = new BadgeRig(Sleepy(standbyAfter: 1_000)).Started();
        rig.Run(999);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        rig.Run(1);

        Assert.Equal(BadgeMode.Standby, rig.Mode);
        var sleep = rig.Transport.Control<SleepAnnouncement>().Single();
        Assert.Equal((SleepMode.Standby, 0u), (sleep.Mode, sleep.NextCheckInSeconds));
        var state = rig.Transport.Published.Last();
        Assert.True(state.Retain);
        Assert.Equal(BadgeStatus.Standby, rig.Transport.Control<BadgeState>().Last().Status);
        Assert.True(rig.Power.InStandby);
        Assert.Equal(LedState.Standby, rig.Indicator.Led);
        Assert.True(rig.Transport.IsConnected); // the MQTT session stays up in modem sleep
    }

    [Fact]
    public void Activity_keeps_a_badge_from_standby()
    {
        var rig = new BadgeRig(Sleepy(standbyAfter: 1_000)).Started();
        rig.Run(800);
        rig.Buttons.Channel = true;
        rig.Run(10);
        rig.Buttons.Channel = false;
        rig.Run(900);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        rig.Run(200);
        Assert.Equal(BadgeMode.Standby, rig.Mode);
    }

    [Fact]
    public void A_wake_from_the_gateway_powers_the_audio_path_and_the_burst_plays()
    {
        var rig = InStandby();
        rig.Send(new Wake { Reason = WakeReason.Burst, Channel = 1, BurstId = 700 });
        rig.Run(1);

        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.False(rig.Power.InStandby);
        Assert.Equal(BadgeStatus.Idle, rig.Transport.Control<BadgeState>().Last().Status);
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.WakeReceived && e.Burst == 700 && e.Value == (int)WakeReason.Burst);

        foreach (var frame in FrameMaker.Burst(700, 1, 3, 2))
        {
            rig.SendFrame(frame);
            rig.Run(80);
        }

        rig.Run(300);
        Assert.Equal(Enumerable.Range(0, 6), rig.Playback.Blocks.Select(FrameMaker.Identify));
        Assert.Equal(700u, rig.Transport.Control<Played>().Single().BurstId);
    }

    [Fact]
    public void A_frame_reaching_a_standby_badge_without_a_wake_still_plays()
    {
        var rig = InStandby();
        rig.SendFrame(FrameMaker.Burst(701, 1, 2, 1)[0]);
        rig.Run(1);
        Assert.Equal(BadgeMode.Receiving, rig.Mode);
        Assert.False(rig.Power.InStandby);
        Assert.True(rig.Playback.Running);
    }

    [Fact]
    public void Push_to_talk_in_standby_powers_up_and_requests_the_floor_at_once()
    {
        var rig = InStandby();
        rig.Buttons.Talk = true;
        rig.Run(1);
        Assert.Equal(BadgeMode.Requesting, rig.Mode);
        Assert.False(rig.Power.InStandby);
        Assert.Single(rig.Transport.Control<FloorRequest>());
    }

    [Fact]
    public void Standby_long_enough_announces_pocket_with_its_check_in_then_disconnects_and_sleeps()
    {
        var rig = InPocket(checkInSeconds: 60);

        var sleeps = rig.Transport.Control<SleepAnnouncement>();
        Assert.Equal([SleepMode.Standby, SleepMode.Pocket], sleeps.Select(s => s.Mode));
        Assert.Equal(60u, sleeps.Last().NextCheckInSeconds);
        Assert.Equal(BadgeStatus.Pocket, rig.Transport.Control<BadgeState>().Last().Status);
        Assert.False(rig.Transport.IsConnected);
        Assert.False(rig.Power.InStandby); // deep sleep powers everything down itself
        Assert.Equal([60u], rig.Power.PocketSleeps);
        Assert.Equal(LedState.Off, rig.Indicator.Led);
    }

    [Fact]
    public void A_badge_whose_clock_was_never_set_still_sleeps_with_its_check_in_timer_and_checks_in()
    {
        var config = BadgeRig.DefaultConfig();
        config.CheckInSeconds = 90;
        var rig = new BadgeRig(Sleepy(pocketAfter: 2_000), config);
        rig.Clock.UnixSeconds = 0; // no SNTP yet: the time of day is unknown
        rig.Started();
        rig.Run(3_001);

        Assert.Equal(BadgeMode.Pocket, rig.Mode);
        Assert.Equal([90u], rig.Power.PocketSleeps);
        Assert.Equal(90u, rig.Transport.Control<SleepAnnouncement>().Last().NextCheckInSeconds);
        rig.Run(90_010);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.Connected && e.Value == (int)WakeCause.Timer);
    }

    [Fact]
    public void Without_a_check_in_interval_only_the_button_wakes_a_pocket_badge()
    {
        var rig = InPocket(checkInSeconds: 0);
        Assert.Equal([0u], rig.Power.PocketSleeps);
        Assert.Equal(0u, rig.Transport.Control<SleepAnnouncement>().Last().NextCheckInSeconds);
        var attempts = rig.Transport.ConnectAttempts;
        rig.Run(100_000);
        Assert.Equal(BadgeMode.Pocket, rig.Mode);
        Assert.Equal(attempts, rig.Transport.ConnectAttempts);
    }

    [Fact]
    public void The_check_in_timer_reconnects_plays_what_waits_and_sleeps_again()
    {
        var rig = InPocket(checkInSeconds: 60);
        rig.Run(59_990);
        Assert.Equal(BadgeMode.Pocket, rig.Mode);
        rig.Run(20);

        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.True(rig.Transport.IsConnected);
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.Connected && e.Value == (int)WakeCause.Timer);
        Assert.Equal(BadgeStatus.Idle, rig.Transport.Control<BadgeState>().Last().Status);

        // What the gateway kept while the badge slept.
        rig.Send(new UnplayedList { Entries = [new UnplayedEntry { BurstId = 900, Channel = 1, DurationMs = 80 }] });
        rig.Run(2);
        Assert.Equal(900u, rig.Transport.Control<PlayRequest>().Single().BurstId);
        foreach (var frame in FrameMaker.Burst(900, 1, 2, 1, replay: true))
        {
            rig.SendFrame(frame);
            rig.Run(40);
        }

        rig.Run(200);
        Assert.Equal(900u, rig.Transport.Control<Played>().Single().BurstId);
        Assert.Equal(BadgeMode.Idle, rig.Mode);

        // Nothing more: back to pocket sleep after the check-in's awake time (5 s), with no standby (1 s) between.
        rig.Run(4_700);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        rig.Run(500);
        Assert.Equal(BadgeMode.Pocket, rig.Mode);
        Assert.Equal(2, rig.Power.PocketSleeps.Count);
        Assert.Single(rig.Transport.Control<SleepAnnouncement>().Skip(2));
    }

    [Fact]
    public void A_wearer_who_touches_a_badge_woken_for_a_check_in_gets_the_ordinary_idle_policy()
    {
        var rig = InPocket(checkInSeconds: 60);
        rig.Run(60_010);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        rig.Buttons.Channel = true;
        rig.Run(10);
        rig.Buttons.Channel = false;
        rig.Run(1_100);
        Assert.Equal(BadgeMode.Standby, rig.Mode);
    }

    [Fact]
    public void Push_to_talk_wakes_a_pocket_badge_and_requests_the_floor_as_soon_as_it_is_connected()
    {
        var rig = InPocket();
        rig.Buttons.Talk = true;
        rig.Run(1);
        Assert.Equal(BadgeMode.Connecting, rig.Mode);
        rig.Run(1);

        Assert.Equal(BadgeMode.Requesting, rig.Mode);
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.Connected && e.Value == (int)WakeCause.Button);
        Assert.Single(rig.Transport.Control<FloorRequest>());
        rig.Send(new FloorGranted { Channel = 1, BurstId = 5, MaxTalkSeconds = 30 });
        rig.Run(1);
        Assert.Equal(BadgeMode.Talking, rig.Mode);
    }

    [Fact]
    public void A_device_restarted_by_the_button_talks_if_the_button_is_still_held()
    {
        var rig = new BadgeRig(Sleepy());
        rig.Power.WakeCause = WakeCause.Button;
        rig.Buttons.Talk = true;
        rig.Badge.Start();
        rig.Run(2);
        Assert.Equal(BadgeMode.Requesting, rig.Mode);
    }

    [Fact]
    public void A_device_restarted_by_the_button_does_not_talk_if_the_button_was_let_go()
    {
        var rig = new BadgeRig(Sleepy());
        rig.Power.WakeCause = WakeCause.Button;
        rig.Transport.Reachable = false;
        rig.Buttons.Talk = true;
        rig.Badge.Start();
        rig.Run(10);
        rig.Buttons.Talk = false;
        rig.Run(10);
        rig.Transport.Reachable = true;
        rig.Run(1_000);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.Empty(rig.Transport.Control<FloorRequest>());
    }
}
