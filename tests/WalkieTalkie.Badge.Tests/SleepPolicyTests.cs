using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

/// <summary>When an idle badge sleeps, decided on its own: a transport for the announcements, times passed in.</summary>
public class SleepPolicyTests
{
    private const int StandbyAfter = 30_000;
    private const int PocketAfter = 600_000;
    private const int CheckInAwake = 5_000;

    private readonly FakeTransport _transport = new() { IsConnected = true };

    private SleepPolicy NewPolicy(int standbyAfter = StandbyAfter, int pocketAfter = PocketAfter) =>
        new(new GatewayLink(_transport, "kid-1"), standbyAfter, pocketAfter, CheckInAwake);

    [Fact]
    public void An_idle_badge_goes_to_standby_after_the_standby_time_counted_from_the_last_activity()
    {
        var policy = NewPolicy();
        policy.Woke(WakeCause.Reset);
        policy.KeepAwake(1_000);

        Assert.Equal(BadgeMode.Idle, policy.NextFromIdle(1_000 + StandbyAfter - 1));
        policy.KeepAwake(20_000);
        Assert.Equal(BadgeMode.Idle, policy.NextFromIdle(1_000 + StandbyAfter));
        Assert.Equal(BadgeMode.Standby, policy.NextFromIdle(20_000 + StandbyAfter));
    }

    [Fact]
    public void A_standby_time_of_zero_keeps_the_badge_idle()
    {
        var policy = NewPolicy(standbyAfter: 0);
        policy.Woke(WakeCause.Reset);
        policy.KeepAwake(0);

        Assert.Equal(BadgeMode.Idle, policy.NextFromIdle(100_000_000));
    }

    [Fact]
    public void A_check_in_wake_goes_back_to_pocket_sleep_without_standby_until_the_wearer_touches_it()
    {
        var policy = NewPolicy(standbyAfter: 1_000);
        policy.Woke(WakeCause.Timer);
        policy.KeepAwake(0);

        Assert.Equal(BadgeMode.Idle, policy.NextFromIdle(CheckInAwake - 1));
        Assert.Equal(BadgeMode.Pocket, policy.NextFromIdle(CheckInAwake));

        policy.Touched();
        Assert.Equal(BadgeMode.Standby, policy.NextFromIdle(CheckInAwake));
    }

    [Fact]
    public void A_button_wake_follows_the_ordinary_policy()
    {
        var policy = NewPolicy();
        policy.Woke(WakeCause.Button);
        policy.KeepAwake(0);

        Assert.Equal(BadgeMode.Idle, policy.NextFromIdle(CheckInAwake));
        Assert.Equal(BadgeMode.Standby, policy.NextFromIdle(StandbyAfter));
    }

    [Fact]
    public void Standby_is_announced_and_pocket_sleep_is_due_after_the_pocket_time_in_standby()
    {
        var policy = NewPolicy();
        policy.AnnounceStandby(50_000);

        var sleep = _transport.Control<SleepAnnouncement>().Single();
        Assert.Equal((SleepMode.Standby, 0u), (sleep.Mode, sleep.NextCheckInSeconds));
        Assert.False(policy.IsPocketDue(50_000 + PocketAfter - 1));
        Assert.True(policy.IsPocketDue(50_000 + PocketAfter));
    }

    [Fact]
    public void A_pocket_time_of_zero_never_ends_standby()
    {
        var policy = NewPolicy(pocketAfter: 0);
        policy.AnnounceStandby(0);

        Assert.False(policy.IsPocketDue(long.MaxValue / 2));
    }

    [Fact]
    public void Pocket_sleep_is_announced_with_its_check_in_interval_and_the_timer_runs_out_after_it()
    {
        var policy = NewPolicy();
        policy.AnnouncePocket(60, 7_000);

        var sleep = _transport.Control<SleepAnnouncement>().Single();
        Assert.Equal((SleepMode.Pocket, 60u), (sleep.Mode, sleep.NextCheckInSeconds));
        Assert.False(policy.IsCheckInDue(7_000 + 59_999));
        Assert.True(policy.IsCheckInDue(7_000 + 60_000));
    }

    [Fact]
    public void Without_a_check_in_interval_the_timer_never_runs_out()
    {
        var policy = NewPolicy();
        policy.AnnouncePocket(0, 7_000);

        Assert.Equal(0u, _transport.Control<SleepAnnouncement>().Single().NextCheckInSeconds);
        Assert.False(policy.IsCheckInDue(long.MaxValue - 1));
    }
}
