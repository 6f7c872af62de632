using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Floor;

public sealed class FloorControllerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly FloorController _floor;

    public FloorControllerTests() =>
        _floor = new FloorController(_clock, new FloorOptions { LeaseSeconds = 1.5, CoolDownSeconds = 5, FirstFrameGraceSeconds = 3 }, new CountingBurstIds(100));

    private static FloorRequestContext Plain(int maxTalk = 30) => new(true, true, false, false, maxTalk);

    private static FloorRequestContext Priority(bool emergency = false) => new(true, true, true, emergency, 30);

    /// <summary>Talks for the given time, a frame every 40 ms, checking the timers as the engine does.</summary>
    private List<FloorEnd> Talk(string badge, byte channel, uint burst, TimeSpan duration)
    {
        var ended = new List<FloorEnd>();
        for (var t = TimeSpan.Zero; t < duration; t += TimeSpan.FromMilliseconds(40))
        {
            _clock.Advance(TimeSpan.FromMilliseconds(40));
            _floor.OnFrame(badge, channel, burst);
            ended.AddRange(_floor.Expire());
        }

        return ended;
    }

    [Fact]
    public void First_come_is_granted_and_the_next_is_denied_busy_with_the_time_left()
    {
        var anna = _floor.Request("anna", 1, Plain(maxTalk: 20));
        Assert.True(anna.Granted);
        Assert.Equal(100u, anna.BurstId);

        _clock.Advance(TimeSpan.FromSeconds(5));
        var ben = _floor.Request("ben", 1, Plain());
        Assert.False(ben.Granted);
        Assert.Equal(DenyReason.Busy, ben.DenyReason);
        Assert.Equal(15, ben.RetryAfterSeconds);
        Assert.Equal("anna", _floor.Holder(1)!.BadgeId);
    }

    [Fact]
    public void Channels_are_independent_and_burst_ids_never_repeat()
    {
        var a = _floor.Request("anna", 1, Plain());
        var b = _floor.Request("ben", 2, Plain());
        Assert.True(a.Granted && b.Granted);
        Assert.NotEqual(a.BurstId, b.BurstId);
        Assert.NotNull(_floor.Release("anna", 1, a.BurstId));
        var c = _floor.Request("cara", 1, Plain());
        Assert.True(c.Granted);
        Assert.True(c.BurstId > b.BurstId);
    }

    [Fact]
    public void A_repeated_request_of_the_holder_keeps_its_burst()
    {
        var first = _floor.Request("anna", 1, Plain());
        var again = _floor.Request("anna", 1, Plain());
        Assert.True(again.Granted);
        Assert.Equal(first.BurstId, again.BurstId);
        Assert.Null(again.Preempted);
    }

    [Fact]
    public void Unknown_channel_and_missing_permit_are_denied_for_what_they_are()
    {
        Assert.Equal(DenyReason.UnknownChannel, _floor.Request("anna", 9, new FloorRequestContext(false, true, false, false, 30)).DenyReason);
        Assert.Equal(DenyReason.NoPermit, _floor.Request("anna", 1, new FloorRequestContext(true, false, true, true, 30)).DenyReason);
        Assert.Null(_floor.Holder(1));
    }

    [Fact]
    public void Release_ends_only_the_holders_own_burst()
    {
        var grant = _floor.Request("anna", 1, Plain());
        Assert.Null(_floor.Release("ben", 1, grant.BurstId));
        Assert.Null(_floor.Release("anna", 1, grant.BurstId + 1));
        var end = _floor.Release("anna", 1, grant.BurstId);
        Assert.Equal(new FloorEnd(1, "anna", grant.BurstId, EndReason.Released), end);
        Assert.Null(_floor.Holder(1));
    }

    [Fact]
    public void Frames_of_anyone_but_the_holder_are_refused()
    {
        var grant = _floor.Request("anna", 1, Plain());
        Assert.True(_floor.OnFrame("anna", 1, grant.BurstId));
        Assert.False(_floor.OnFrame("ben", 1, grant.BurstId));
        Assert.False(_floor.OnFrame("anna", 1, grant.BurstId + 1));
        Assert.False(_floor.OnFrame("anna", 2, grant.BurstId));
    }

    [Fact]
    public void The_maximum_talk_time_ends_a_burst_that_keeps_sending_then_a_cool_down_denies_too_long()
    {
        var grant = _floor.Request("anna", 1, Plain(maxTalk: 10));
        var ended = Talk("anna", 1, grant.BurstId, TimeSpan.FromSeconds(9.9));
        Assert.Empty(ended);

        ended = Talk("anna", 1, grant.BurstId, TimeSpan.FromSeconds(0.2));
        Assert.Equal(EndReason.MaxTalkTime, Assert.Single(ended).Reason);
        Assert.Null(_floor.Holder(1));

        var again = _floor.Request("anna", 1, Plain(maxTalk: 10));
        Assert.Equal(DenyReason.TooLong, again.DenyReason);
        Assert.InRange(again.RetryAfterSeconds, 1, 5);
        Assert.True(_floor.Request("ben", 1, Plain()).Granted);
        _floor.Release("ben", 1, 0);

        _clock.Advance(TimeSpan.FromSeconds(5));
        _floor.Expire();
        Assert.True(_floor.Request("anna", 1, Plain()).Granted);
    }

    [Fact]
    public void A_holder_whose_frames_stop_loses_the_lease()
    {
        var grant = _floor.Request("anna", 1, Plain());
        Assert.Empty(Talk("anna", 1, grant.BurstId, TimeSpan.FromSeconds(2)));

        _clock.Advance(TimeSpan.FromSeconds(1.4));
        Assert.Empty(_floor.Expire());
        _clock.Advance(TimeSpan.FromSeconds(0.2));
        var end = Assert.Single(_floor.Expire());
        Assert.Equal(EndReason.LeaseLost, end.Reason);
        Assert.Equal(grant.BurstId, end.BurstId);
        Assert.True(_floor.Request("anna", 1, Plain()).Granted);
    }

    [Fact]
    public void A_grant_without_any_frame_gets_the_first_frame_grace_then_loses_the_lease()
    {
        _floor.Request("anna", 1, Plain());
        _clock.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Empty(_floor.Expire());
        _clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(EndReason.LeaseLost, Assert.Single(_floor.Expire()).Reason);
    }

    [Fact]
    public void The_next_expiry_is_the_grace_then_the_lease_as_of_the_last_frame_then_the_talk_limit_and_ends_the_hold_there()
    {
        Assert.Equal(DateTimeOffset.MaxValue, _floor.NextExpiry());
        var grant = _floor.Request("anna", 1, Plain(maxTalk: 4));
        Assert.Equal(Start + TimeSpan.FromSeconds(3), _floor.NextExpiry());

        Talk("anna", 1, grant.BurstId, TimeSpan.FromSeconds(2));
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(1.5), _floor.NextExpiry());

        Talk("anna", 1, grant.BurstId, TimeSpan.FromSeconds(1.2));
        Assert.Equal(Start + TimeSpan.FromSeconds(4), _floor.NextExpiry());
        _clock.Advance(_floor.NextExpiry() - _clock.GetUtcNow() - TimeSpan.FromTicks(1));
        Assert.Empty(_floor.Expire());
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(EndReason.MaxTalkTime, Assert.Single(_floor.Expire()).Reason);
        Assert.Equal(DateTimeOffset.MaxValue, _floor.NextExpiry());
    }

    [Fact]
    public void A_lease_ends_exactly_at_the_next_expiry()
    {
        var grant = _floor.Request("anna", 1, Plain());
        _clock.Advance(_floor.NextExpiry() - _clock.GetUtcNow() - TimeSpan.FromTicks(1));
        Assert.Empty(_floor.Expire());
        _floor.OnFrame("anna", 1, grant.BurstId);
        _clock.Advance(_floor.NextExpiry() - _clock.GetUtcNow() - TimeSpan.FromTicks(1));
        Assert.Empty(_floor.Expire());
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(EndReason.LeaseLost, Assert.Single(_floor.Expire()).Reason);
    }

    [Fact]
    public void A_priority_badge_preempts_a_plain_talker()
    {
        var anna = _floor.Request("anna", 1, Plain());
        var boss = _floor.Request("boss", 1, Priority());
        Assert.True(boss.Granted);
        Assert.Equal(new FloorEnd(1, "anna", anna.BurstId, EndReason.Preempted), boss.Preempted);
        Assert.Equal("boss", _floor.Holder(1)!.BadgeId);
        Assert.False(_floor.OnFrame("anna", 1, anna.BurstId));
    }

    [Fact]
    public void Nobody_preempts_a_priority_talker_except_a_priority_emergency()
    {
        _floor.Request("boss", 1, Priority());
        Assert.Equal(DenyReason.Busy, _floor.Request("anna", 1, Plain()).DenyReason);
        Assert.Equal(DenyReason.Busy, _floor.Request("anna", 1, new FloorRequestContext(true, true, false, true, 30)).DenyReason);
        Assert.Equal(DenyReason.Busy, _floor.Request("chief", 1, Priority()).DenyReason);

        var emergency = _floor.Request("chief", 1, Priority(emergency: true));
        Assert.True(emergency.Granted);
        Assert.Equal("boss", emergency.Preempted!.BadgeId);
    }

    [Fact]
    public void An_open_emergency_cuts_a_priority_talker_and_nobody_cuts_it_back()
    {
        var sos = new FloorRequestContext(true, true, false, true, 30, Sos: true);
        _floor.Request("boss", 1, Priority());

        var emergency = _floor.Request("anna", 1, sos);
        Assert.True(emergency.Granted);
        Assert.Equal("boss", emergency.Preempted!.BadgeId);
        Assert.True(_floor.Holder(1)!.Sos);

        Assert.Equal(DenyReason.Busy, _floor.Request("chief", 1, Priority(emergency: true)).DenyReason);
        Assert.Equal(DenyReason.Busy, _floor.Request("ben", 1, sos).DenyReason);
        Assert.Equal("anna", _floor.Holder(1)!.BadgeId);
    }

    [Fact]
    public void Revoke_ends_a_burst_for_an_outside_reason()
    {
        var grant = _floor.Request("anna", 1, Plain());
        Assert.Equal(new FloorEnd(1, "anna", grant.BurstId, EndReason.PermitEnded), _floor.Revoke(1, EndReason.PermitEnded));
        Assert.Null(_floor.Revoke(1, EndReason.PermitEnded));
    }

    [Fact]
    public void Releasing_and_asking_again_back_to_back_does_not_keep_the_floor_from_a_badge_that_waits()
    {
        // The attack: anna releases and asks again at once, over and over; ben asks every half second.
        var anna = _floor.Request("anna", 1, Plain());
        var benGranted = false;
        for (var round = 0; round < 48 && !benGranted; round++)
        {
            Talk("anna", 1, anna.BurstId, TimeSpan.FromMilliseconds(500));
            var ben = _floor.Request("ben", 1, Plain());
            benGranted = ben.Granted;
            if (!benGranted)
            {
                Assert.Equal(DenyReason.Busy, ben.DenyReason);
                _floor.Release("anna", 1, anna.BurstId);
                var again = _floor.Request("anna", 1, Plain());
                if (!again.Granted)
                {
                    // Held off: the floor is free for the one who waited.
                    Assert.Equal(DenyReason.Busy, again.DenyReason);
                    Assert.InRange(again.RetryAfterSeconds, 1, 3);
                    Assert.Null(_floor.Holder(1));
                    continue;
                }

                anna = again;
            }
        }

        Assert.True(benGranted);
        Assert.Equal("ben", _floor.Holder(1)!.BadgeId);
    }

    [Fact]
    public void The_holder_asks_again_at_once_when_nobody_waited_and_after_the_hold_off_when_someone_did()
    {
        var first = _floor.Request("anna", 1, Plain());
        _floor.Release("anna", 1, first.BurstId);
        Assert.True(_floor.Request("anna", 1, Plain()).Granted); // nobody asked meanwhile: no hold-off

        Assert.False(_floor.Request("ben", 1, Plain()).Granted);
        _floor.Release("anna", 1, 0);
        Assert.False(_floor.Request("anna", 1, Plain()).Granted);
        _clock.Advance(TimeSpan.FromSeconds(3));
        _floor.Expire();
        Assert.True(_floor.Request("anna", 1, Plain()).Granted); // ben did not come back: the floor is anna's again
    }

    [Fact]
    public void A_priority_emergency_is_not_held_off()
    {
        var boss = _floor.Request("boss", 1, Priority());
        Assert.False(_floor.Request("anna", 1, Plain()).Granted);
        _floor.Release("boss", 1, boss.BurstId);
        Assert.False(_floor.Request("boss", 1, Priority()).Granted);
        Assert.True(_floor.Request("boss", 1, Priority(emergency: true)).Granted);
    }

    [Fact]
    public void Quick_re_requests_add_up_against_the_talk_limit_then_the_cool_down_follows()
    {
        // Before: each re-request started a fresh 10 s, so releasing at 9 s kept the floor for ever.
        var grant = _floor.Request("anna", 1, Plain(maxTalk: 10));
        Assert.Equal(Start + TimeSpan.FromSeconds(10), _floor.Holder(1)!.Deadline);
        Assert.Empty(Talk("anna", 1, grant.BurstId, TimeSpan.FromSeconds(4)));
        _floor.Release("anna", 1, grant.BurstId);
        _clock.Advance(TimeSpan.FromSeconds(1));

        grant = _floor.Request("anna", 1, Plain(maxTalk: 10));
        Assert.True(grant.Granted);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(6), _floor.Holder(1)!.Deadline);
        Assert.Empty(Talk("anna", 1, grant.BurstId, TimeSpan.FromSeconds(5.9)));
        var ended = Talk("anna", 1, grant.BurstId, TimeSpan.FromSeconds(0.2));
        Assert.Equal(EndReason.MaxTalkTime, Assert.Single(ended).Reason);

        var again = _floor.Request("anna", 1, Plain(maxTalk: 10));
        Assert.Equal(DenyReason.TooLong, again.DenyReason);
        _clock.Advance(TimeSpan.FromSeconds(5));
        _floor.Expire();
        grant = _floor.Request("anna", 1, Plain(maxTalk: 10));
        Assert.True(grant.Granted);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(10), _floor.Holder(1)!.Deadline);
    }

    [Fact]
    public void A_turn_used_up_to_under_a_second_is_denied_too_long_until_its_cool_down_ran()
    {
        var grant = _floor.Request("anna", 1, Plain(maxTalk: 10));
        Talk("anna", 1, grant.BurstId, TimeSpan.FromSeconds(9.5));
        _floor.Release("anna", 1, grant.BurstId);

        var again = _floor.Request("anna", 1, Plain(maxTalk: 10));
        Assert.Equal(DenyReason.TooLong, again.DenyReason);
        Assert.Equal(5, again.RetryAfterSeconds);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(_floor.Request("anna", 1, Plain(maxTalk: 10)).Granted);
    }

    [Fact]
    public void A_burst_after_a_pause_longer_than_the_cool_down_starts_a_new_turn()
    {
        var grant = _floor.Request("anna", 1, Plain(maxTalk: 10));
        Talk("anna", 1, grant.BurstId, TimeSpan.FromSeconds(8));
        _floor.Release("anna", 1, grant.BurstId);
        _clock.Advance(TimeSpan.FromSeconds(5));
        _floor.Expire();
        Assert.True(_floor.Request("anna", 1, Plain(maxTalk: 10)).Granted);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(10), _floor.Holder(1)!.Deadline);
    }
}
