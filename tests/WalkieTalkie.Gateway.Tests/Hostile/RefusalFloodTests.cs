using MQTTnet.Protocol;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Hostile;

/// <summary>
/// A badge that keeps doing what it may not: its refusals are logged a few lines at a time (per badge, not per topic)
/// with a count of the rest, the status table does not get a row per refusal, and past a threshold the badge is
/// disconnected and kept out for a while (with an external broker, its messages are ignored for that while).
/// </summary>
public abstract class RefusalFloodTests
{
    protected abstract BrokerKind Broker { get; }

    protected async Task<TestGateway> StartAsync()
    {
        var g = TestGateway.Create();
        foreach (var id in new[] { "anna", "ben", "eve" })
        {
            g.AddBadge(id);
        }

        g.AddChannel(1, 8000, "anna", "ben", "eve");
        return await g.StartAsync(Broker);
    }

    protected static async Task AssertStillServesAsync(TestBadge anna, TestBadge ben)
    {
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 5);
        Assert.Equal(5, (await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId)).FrameCount);
    }

    [Fact]
    public async Task Refused_floor_play_and_permit_requests_are_logged_a_few_at_a_time_and_end_in_a_ban()
    {
        await using var g = await StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var eve = await g.ConnectAsync("eve");

        // Within the control budget, so that every one of them reaches the gateway's engine.
        for (var i = 0; i < 40 && eve.IsConnected; i++)
        {
            try
            {
                await eve.SendAsync(new FloorRequest { Channel = 9 });
                await eve.SendAsync(new PlayRequest { BurstId = 424242 });
                await eve.SendAsync(new PermitAccept { Channel = 7, Permits = PermitBits.Known });
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                break;
            }

            await Task.Delay(20);
        }

        Assert.True(await Eventually.TrueAsync(() => g.Log.Contains("eve", "more refusals not logged"), 15000));
        Assert.InRange(g.Log.Count("Floor denied", "eve", "UnknownChannel"), 1, 10);
        Assert.InRange(g.Log.Count("Refused play-request", "eve"), 1, 10);
        Assert.InRange(g.Log.Count("eve", "but none were offered"), 1, 10);
        await Task.Delay(500);
        var rows = new SqliteStatusStore(g.Database).RecentDecisions(1000).Count(d => d.BadgeId == "eve");
        Assert.InRange(rows, 1, 10);

        Assert.True(g.Log.Contains("Badge eve", "disconnected for"));
        if (Broker == BrokerKind.Embedded)
        {
            Assert.True(await Eventually.TrueAsync(() => !eve.IsConnected));
            await Assert.ThrowsAsync<ConnectRefusedException>(() => TestBadge.ConnectAsync(g.BadgePort, "eve", g.Secrets["eve"]));
        }
        else
        {
            // Mosquitto keeps her connected; the gateway ignores her for the ban's length.
            var before = eve.Control.Count;
            await eve.SendAsync(new FloorRequest { Channel = 1 });
            await Task.Delay(500);
            Assert.Equal(before, eve.Control.Count);
        }

        await AssertStillServesAsync(anna, ben);
    }
}

public sealed class EmbeddedBrokerRefusalFloodTests : RefusalFloodTests
{
    protected override BrokerKind Broker => BrokerKind.Embedded;

    // Embedded only: with Mosquitto its ACL refuses these publishes and the gateway never sees them.
    [Fact]
    public async Task Five_thousand_publishes_to_distinct_refused_topics_log_a_few_lines_and_a_count()
    {
        await using var g = await StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var eve = await g.ConnectAsync("eve");
        for (var i = 0; i < 5000 && eve.IsConnected; i++)
        {
            try
            {
                await eve.PublishRawAsync($"wt/v1/eve/x/{i}", [1], MqttQualityOfServiceLevel.AtMostOnce);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException)
            {
                break;
            }
        }

        Assert.True(await Eventually.TrueAsync(() => !eve.IsConnected, 15000));
        Assert.InRange(g.Log.Count("Refused publish", "eve"), 1, 10);
        Assert.True(g.Log.Contains("Badge eve", "disconnected for"));
        Assert.True(g.Log.Contains("eve", "more refusals not logged"));
        await Assert.ThrowsAsync<ConnectRefusedException>(() => TestBadge.ConnectAsync(g.BadgePort, "eve", g.Secrets["eve"]));
        await AssertStillServesAsync(anna, ben);
    }
}

public sealed class MosquittoRefusalFloodTests : RefusalFloodTests
{
    protected override BrokerKind Broker => BrokerKind.Mosquitto;
}
