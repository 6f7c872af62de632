using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>
/// Every gateway of a site hears a badge's press (one broker); the one that does not serve the channel keeps it a moment
/// (KeptPressTests) and answers it if it comes to serve the channel in time. A gateway that stops cleanly answered the
/// presses it took until its engine stopped: the gateway that takes its channels over must not answer one of those again
/// (a second grant, handed back by the badge, is an empty burst to every listener; a grant after a denial, a badge
/// in its busy tone told to talk).
/// </summary>
public sealed class CleanStopPressTests
{
    [Fact]
    public async Task A_press_the_old_owner_answered_just_before_a_clean_stop_is_not_answered_again_by_the_new_owner()
    {
        var leases = new HandOverLeases();
        await using var old = await GatewayAsync(leases.For("old"));
        await using var next = await GatewayAsync(leases.For("next"));
        Assert.Equal("old", leases.OwnerOf(1)); // it took its leases first, before it let badges in

        var atNext = await OnlineAsync(next, "alice");
        var atOld = await old.ConnectAsync("alice");
        // The same press reaches both gateways: the new owner first, so it has kept it from before the old one answered.
        await atNext.SendAsync(new FloorRequest { Channel = 1 });
        Assert.IsType<FloorGranted>(await atOld.RequestFloorAsync(1));

        await old.Host.StopAsync(); // a clean stop, right after the answer: the badge has not talked yet
        Assert.True(await Eventually.TrueAsync(() => leases.OwnerOf(1) == "next", 15_000));
        // Gaining Alice's first channel sends her config, after any answer to a kept press (same tick, ordered link).
        await atNext.WaitForAsync<Config>(timeoutMs: 10_000);
        Assert.False(atNext.Has<FloorGranted>());
        Assert.False(atNext.Has<FloorDenied>());
    }

    private static async Task<TestBadge> OnlineAsync(TestGateway gateway, string badgeId)
    {
        var badge = await gateway.ConnectAsync(badgeId, announce: false);
        await badge.SendStateAsync(BadgeStatus.Idle);
        Assert.True(await Eventually.TrueAsync(() => gateway.Log.Contains($"Badge {badgeId} is online"), 10_000));
        return badge;
    }

    private static async Task<TestGateway> GatewayAsync(IChannelLeases leases)
    {
        var gateway = TestGateway.Create();
        gateway.AddBadge("alice");
        gateway.AddChannel(1, 8000, "alice");
        gateway.Services = services =>
        {
            services.RemoveAll<IChannelLeases>();
            services.AddSingleton(leases);
        };
        await gateway.StartAsync(BrokerKind.InMemory);
        return gateway;
    }
}
