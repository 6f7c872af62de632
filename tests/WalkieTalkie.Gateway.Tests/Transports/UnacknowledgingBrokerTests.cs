using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Transports;

/// <summary>
/// A gateway on an external broker (Mosquitto behind a link that drops the broker's PUBACKs) whose node goes on taking
/// and delivering the gateway's publishes but stops acknowledging them: the engine's loop, which serves every channel,
/// waits for no PUBACK, so a burst still ends for its listener and another channel's press is still granted. Before, the
/// engine awaited each control message's PUBACK, and the first one sent after the broker fell silent held it for good.
/// </summary>
public sealed class UnacknowledgingBrokerTests
{
    [Fact]
    public async Task A_broker_that_stops_acknowledging_holds_up_no_channel_and_its_silence_is_logged_once()
    {
        await using var gateway = TestGateway.Create();
        foreach (var id in new[] { "alice", "bob", "carol", "dave" })
        {
            gateway.AddBadge(id);
        }

        gateway.AddChannel(1, 8000, "alice", "bob");
        gateway.AddChannel(2, 8000, "carol", "dave");
        await using var broker = await MosquittoBroker.StartAsync(gateway.Secrets);
        using var link = new PubackWithholdingLink(broker.Port);
        gateway.Mqtt.ExternalNodes = $"127.0.0.1:{link.Port}"; // the gateway through the link, the badges straight to the broker
        gateway.Mqtt.ExternalControlAckSeconds = 0.5;
        await gateway.StartOnAsync(broker);
        await using var alice = await ConnectAnnouncedAsync(broker.Port, "alice", gateway.Secrets);
        await using var bob = await ConnectAnnouncedAsync(broker.Port, "bob", gateway.Secrets);
        await using var carol = await ConnectAnnouncedAsync(broker.Port, "carol", gateway.Secrets);
        await using var dave = await ConnectAnnouncedAsync(broker.Port, "dave", gateway.Secrets);

        link.Withhold();
        var grant = await PressAsync(alice, 1);
        await bob.WaitForAsync<BurstStart>(s => s.BurstId == grant.BurstId, timeoutMs: 15_000);
        await alice.TalkAsync(grant, 10);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 15_000);
        var other = await PressAsync(carol, 2);
        await dave.WaitForAsync<BurstStart>(s => s.BurstId == other.BurstId, timeoutMs: 15_000);

        Assert.True(link.Withheld > 0);
        var downlink = gateway.Host.Services.GetRequiredService<ExternalBrokerLink>().Downlink!;
        Assert.True(await Eventually.TrueAsync(() => downlink.Overdue > 0, 30_000));
        Assert.Equal(1, gateway.Log.Count("not acknowledged by the broker"));
        Assert.Equal(0, downlink.Failed);
    }

    // The grant waited for with the other waits' bound (RequestFloorAsync's is 5 s, short on a loaded machine).
    private static async Task<FloorGranted> PressAsync(TestBadge badge, byte channel)
    {
        var before = badge.Control.Count;
        await badge.SendAsync(new FloorRequest { Channel = channel });
        return await badge.WaitForAsync<FloorGranted>(g => g.Channel == channel, timeoutMs: 15_000, skip: before);
    }

    private static async Task<TestBadge> ConnectAnnouncedAsync(int port, string id, IReadOnlyDictionary<string, string> secrets)
    {
        var badge = await TestBadge.ConnectAsync(port, id, secrets[id]);
        await badge.SendStateAsync(BadgeStatus.Idle);
        await badge.WaitForAsync<Config>(timeoutMs: 10_000);
        return badge;
    }
}
