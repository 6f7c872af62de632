using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Presence;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Presence;

public sealed class PresenceTrackerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly PresenceTracker _presence;

    public PresenceTrackerTests() => _presence = new PresenceTracker(_clock);

    private static BadgeState State(BadgeStatus status) => new() { Status = status, BatteryPercent = 55, Rssi = -60, Firmware = "1.2" };

    [Fact]
    public void A_badge_is_offline_until_it_connects_and_online_at_its_first_announcement()
    {
        Assert.Equal(PresenceState.Offline, _presence.Get("anna").State);
        Assert.False(_presence.Get("anna").CanHearLive);
        _presence.OnConnected("anna");
        Assert.Equal(PresenceState.Idle, _presence.Get("anna").State);
        Assert.True(_presence.OnState("anna", State(BadgeStatus.Idle)));
        Assert.False(_presence.OnState("anna", State(BadgeStatus.Idle)));
        Assert.Equal(55, _presence.Get("anna").BatteryPercent);
        Assert.Equal("1.2", _presence.Get("anna").Firmware);
    }

    [Fact]
    public void A_badge_that_connected_hears_nothing_live_until_it_sends_something_as_it_may_not_have_subscribed_yet()
    {
        _presence.OnState("anna", State(BadgeStatus.Idle));
        Assert.True(_presence.Get("anna").CanHearLive);
        _presence.OnDisconnected("anna");

        _presence.OnConnected("anna");
        Assert.Equal(PresenceState.Idle, _presence.Get("anna").State); // reported online from its connection on
        Assert.False(_presence.Get("anna").CanHearLive);
        _presence.OnState("anna", State(BadgeStatus.Idle));
        Assert.True(_presence.Get("anna").CanHearLive);

        _presence.OnConnected("anna"); // a takeover: a new session, without the old one's subscription
        Assert.False(_presence.Get("anna").CanHearLive);
        _presence.OnTraffic("anna"); // a badge subscribes before it sends anything
        Assert.True(_presence.Get("anna").CanHearLive);

        _presence.OnConnected("anna");
        _presence.OnSleep("anna", new SleepAnnouncement { Mode = SleepMode.Standby });
        Assert.True(_presence.Get("anna").CanHearLive);
    }

    [Fact]
    public void A_reconnect_makes_the_next_announcement_a_coming_online_again()
    {
        _presence.OnConnected("anna");
        _presence.OnState("anna", State(BadgeStatus.Idle));
        _presence.OnDisconnected("anna");
        Assert.Equal(PresenceState.Offline, _presence.Get("anna").State);
        _presence.OnConnected("anna");
        Assert.True(_presence.OnState("anna", State(BadgeStatus.Idle)));
    }

    [Fact]
    public void Standby_can_hear_live_after_a_wake_and_pocket_cannot()
    {
        _presence.OnState("anna", State(BadgeStatus.Idle));
        _presence.OnSleep("anna", new SleepAnnouncement { Mode = SleepMode.Standby });
        Assert.Equal(PresenceState.Standby, _presence.Get("anna").State);
        Assert.True(_presence.Get("anna").CanHearLive);

        _presence.OnSleep("anna", new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 300 });
        var anna = _presence.Get("anna");
        Assert.Equal(PresenceState.Pocket, anna.State);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(300), anna.PocketUntil);
        Assert.False(anna.CanHearLive);
    }

    [Fact]
    public void A_pocket_badge_stays_in_its_pocket_when_its_link_drops_and_comes_back_on_traffic()
    {
        _presence.OnState("anna", State(BadgeStatus.Idle));
        _presence.OnSleep("anna", new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 60 });
        _presence.OnDisconnected("anna");
        Assert.Equal(PresenceState.Pocket, _presence.Get("anna").State);

        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(_presence.OnTraffic("anna"));
        Assert.Equal(PresenceState.Idle, _presence.Get("anna").State);
        Assert.Null(_presence.Get("anna").PocketUntil);
        Assert.Equal(_clock.GetUtcNow(), _presence.Get("anna").LastSeen);
    }

    [Fact]
    public void The_last_will_takes_a_badge_offline()
    {
        _presence.OnState("anna", State(BadgeStatus.Idle));
        Assert.False(_presence.OnState("anna", State(BadgeStatus.Offline)));
        Assert.Equal(PresenceState.Offline, _presence.Get("anna").State);
        Assert.True(_presence.OnState("anna", State(BadgeStatus.Idle)));
    }
}
