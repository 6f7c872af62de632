using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Playback;

/// <summary>The floor held for a voice message: reserved ids, never taken from a talker, cut only by priority.</summary>
public sealed class FloorPlaybackTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly FloorController _floor;

    public FloorPlaybackTests() =>
        _floor = new FloorController(_clock, new FloorOptions { LeaseSeconds = 1.5, CoolDownSeconds = 5, FirstFrameGraceSeconds = 3 }, new CountingBurstIds(100));

    [Fact]
    public void Reserved_ids_are_not_given_to_later_bursts()
    {
        var reserved = _floor.ReserveBurstId();
        var anna = _floor.Request("anna", 1, new FloorRequestContext(true, true, false, false, 30));
        Assert.Equal(100u, reserved);
        Assert.Equal(101u, anna.BurstId);
    }

    [Fact]
    public void A_message_waits_for_a_talker_then_holds_the_floor_against_plain_badges_but_not_priority_ones()
    {
        var anna = _floor.Request("anna", 1, new FloorRequestContext(true, true, false, false, 30));
        var id = _floor.ReserveBurstId();
        Assert.False(_floor.TakeForPlayback(1, "matrix:Alice", id, TimeSpan.FromSeconds(5)));
        Assert.Equal("anna", _floor.Holder(1)!.BadgeId);

        _floor.Release("anna", 1, anna.BurstId);
        Assert.True(_floor.TakeForPlayback(1, "matrix:Alice", id, TimeSpan.FromSeconds(5)));
        var ben = _floor.Request("ben", 1, new FloorRequestContext(true, true, false, false, 30));
        Assert.False(ben.Granted);
        Assert.Equal(DenyReason.Busy, ben.DenyReason);

        var boss = _floor.Request("boss", 1, new FloorRequestContext(true, true, true, false, 30));
        Assert.True(boss.Granted);
        Assert.Equal(new FloorEnd(1, "matrix:Alice", id, EndReason.Preempted), boss.Preempted);
    }

    [Fact]
    public void A_message_longer_than_the_talk_time_keeps_the_floor_for_its_length()
    {
        var id = _floor.ReserveBurstId();
        Assert.True(_floor.TakeForPlayback(1, "matrix:Alice", id, TimeSpan.FromSeconds(60)));
        for (var t = 0; t < 60_000; t += 40)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(40));
            _floor.OnFrame("matrix:Alice", 1, id);
            Assert.Empty(_floor.Expire());
        }

        Assert.True(_floor.Release("matrix:Alice", 1, id) is { Reason: EndReason.Released });
    }
}
