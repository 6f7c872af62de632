using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Hosting;

/// <summary>
/// A gateway restart with badges connected, as the bench's <c>storm</c> mode does it at 10,000 (docs/benchmarks.md,
/// "Reconnect storm"), with the same badges (<see cref="StormBadge"/>): all from one address, as a site behind NAT,
/// under the default limits; each must be back and served again (the gateway's config, its answer to the badge's
/// state, reaching the badge through its new subscription), and none refused.
/// </summary>
public sealed class ReconnectStormTests
{
    private const int Badges = 200;

    [Fact]
    public async Task Every_badge_is_back_and_served_after_a_restart()
    {
        await using var g = TestGateway.Create();
        var ids = Enumerable.Range(1, Badges).Select(i => $"storm-{i:D3}").ToList();
        foreach (var id in ids)
        {
            g.AddBadge(id);
        }

        await g.StartAsync();
        await using var fleet = new StormFleet(g.BadgePort, ids.Select(id => (id, g.Secrets[id])).ToList());
        fleet.Start();
        // Bounds only stop a broken test: a loaded CI host takes a few seconds for what an idle one does in one.
        Assert.True(await fleet.AllServedAsync(TimeSpan.FromSeconds(90)), $"{fleet.Served} of {Badges} served before the restart");

        await g.RestartAsync(whileStopped: fleet.Mark);
        Assert.True(await fleet.AllServedAsync(TimeSpan.FromSeconds(90)), $"{fleet.Served} of {Badges} served after the restart");

        Assert.All(fleet.Badges, b =>
        {
            Assert.NotEqual(0, b.ConnectedAt);
            Assert.True(b.ServedAt >= b.ConnectedAt, $"{b.Id} served before it was back");
            Assert.Equal(0, b.Refused);
        });
        Assert.Equal(Badges, fleet.Connected);
    }
}
