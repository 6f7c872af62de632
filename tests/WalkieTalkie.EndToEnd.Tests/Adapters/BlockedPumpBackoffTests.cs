using WalkieTalkie.Bridge.Channels;
using WalkieTalkie.Gateway.MatrixBridge;

namespace WalkieTalkie.EndToEnd.Tests.Adapters;

/// <summary>The host's pacing of a blocked channel: 1 s, doubling, capped; any other outcome resets it.</summary>
public sealed class BlockedPumpBackoffTests
{
    private static readonly OutgoingStatus Blocked = new(OutgoingStatusKind.Blocked, 0, "Homeserver answered 502");

    [Fact]
    public void Blocked_pumps_wait_one_second_then_twice_as_long_up_to_the_cap()
    {
        var backoff = new BlockedPumpBackoff(TimeSpan.FromSeconds(8));
        var now = DateTimeOffset.UnixEpoch;
        Assert.True(backoff.IsDue(now));

        var waits = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var wait = backoff.Record(Blocked, now);
            waits.Add(wait.TotalSeconds);
            Assert.False(backoff.IsDue(now + wait - TimeSpan.FromMilliseconds(1)));
            Assert.True(backoff.IsDue(now + wait));
            now += wait;
        }
        Assert.Equal([1, 2, 4, 8, 8, 8], waits);
    }

    [Theory]
    [InlineData(OutgoingStatusKind.Idle)]
    [InlineData(OutgoingStatusKind.WaitingForRoot)]
    public void Any_other_outcome_lets_the_next_pump_run_at_once_and_starts_the_backoff_over(OutgoingStatusKind kind)
    {
        var backoff = new BlockedPumpBackoff(TimeSpan.FromSeconds(8));
        var now = DateTimeOffset.UnixEpoch;
        backoff.Record(Blocked, now);
        backoff.Record(Blocked, now);
        Assert.Equal(TimeSpan.Zero, backoff.Record(new OutgoingStatus(kind, 1), now));
        Assert.True(backoff.IsDue(now));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Record(Blocked, now));
    }
}
