using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>
/// A press for a channel this gateway does not serve yet (its lease's answer has not come back, docs/scale.md) is kept
/// a moment and answered if the gateway comes to serve the channel in time: the badge gets its grant instead of the busy
/// tone after its grant timeout. Never answered when another gateway still serves the channel, past its time, or after
/// the badge released.
/// </summary>
public sealed class KeptPressTests
{
    [Fact]
    public async Task A_press_just_before_the_channel_becomes_this_gateways_is_granted_when_it_does()
    {
        await using var site = await OneGatewayAsync();
        var alice = await site.PressAsync("alice", 1);

        await Task.Delay(300); // the new owner's lease answer comes back 300 ms after the press
        site.Gain(1);

        var granted = await alice.WaitForAsync<FloorGranted>(g => g.Channel == 1, timeoutMs: 10_000);
        Assert.True(site.Gateway.Log.Contains("alice", "press on channel 1", "before this gateway served"));
        Assert.NotEqual(0u, granted.BurstId);
    }

    [Fact]
    public async Task A_press_older_than_the_window_when_the_channel_comes_is_not_answered()
    {
        await using var site = await OneGatewayAsync();
        var alice = await site.PressAsync("alice", 1);

        await Task.Delay(GatewayEngine.KeptPressWindow + TimeSpan.FromMilliseconds(500)); // the badge is about to give up
        site.Gain(1);

        await NotAnsweredAsync(alice);
    }

    [Fact]
    public async Task A_press_is_not_answered_while_another_gateway_still_serves_its_channel()
    {
        await using var site = await OneGatewayAsync();
        var carol = await site.Gateway.ConnectAsync("carol", announce: false);
        await carol.SendStateAsync(BadgeStatus.Idle, channel: 2);
        var alice = await site.PressAsync("alice", 1);

        await Task.Delay(300);
        site.Gain(2); // another channel comes to this gateway; channel 1 stays with its owner

        await carol.WaitForAsync<Config>(timeoutMs: 10_000); // the gain was handled
        await Task.Delay(GatewayEngine.KeptPressWindow);
        site.Gain(2, 1); // and channel 1 only once alice's press is past its time
        await NotAnsweredAsync(alice);
    }

    [Fact]
    public async Task A_press_released_before_the_channel_comes_is_not_answered()
    {
        await using var site = await OneGatewayAsync();
        var alice = await site.PressAsync("alice", 1, then: badge => badge.SendAsync(new FloorRelease { Channel = 1 }));

        await Task.Delay(300);
        site.Gain(1);

        await NotAnsweredAsync(alice);
    }

    [Fact]
    public async Task A_press_whose_badge_talks_before_the_channel_comes_is_not_answered()
    {
        await using var site = await OneGatewayAsync();
        // Its frames: the gateway that served the channel then granted the press.
        var alice = await site.PressAsync("alice", 1, then: badge => badge.SendFrameAsync(TestFrames.Make(1, 7, 0, last: false)));

        await Task.Delay(300);
        site.Gain(1);

        await NotAnsweredAsync(alice);
    }

    [Fact]
    public async Task A_press_made_twice_before_the_channel_comes_is_answered_once()
    {
        await using var site = await OneGatewayAsync();
        var alice = await site.PressAsync("alice", 1, then: badge => badge.SendAsync(new FloorRequest { Channel = 1 }));

        await Task.Delay(300);
        site.Gain(1);

        await alice.WaitForAsync<FloorGranted>(g => g.Channel == 1, timeoutMs: 10_000);
        await alice.WaitForAsync<Config>(timeoutMs: 10_000); // sent after the answers, in the same tick
        Assert.Single(alice.Control.OfType<FloorGranted>());
        Assert.False(alice.Has<FloorDenied>());
    }

    // Gaining the badge's first channel sends its config, after any answer to a kept press (same tick, ordered link).
    private static async Task NotAnsweredAsync(TestBadge badge)
    {
        await badge.WaitForAsync<Config>(timeoutMs: 10_000);
        Assert.False(badge.Has<FloorGranted>());
        Assert.False(badge.Has<FloorDenied>());
    }

    private static async Task<Site> OneGatewayAsync()
    {
        var leases = new SwitchedLeases();
        var gateway = TestGateway.Create();
        gateway.AddBadge("alice");
        gateway.AddBadge("carol");
        gateway.AddChannel(1, 8000, "alice");
        gateway.AddChannel(2, 8000, "carol");
        gateway.Services = services =>
        {
            services.RemoveAll<IChannelLeases>();
            services.AddSingleton<IChannelLeases>(leases);
        };
        await gateway.StartAsync(BrokerKind.InMemory);
        return new Site(gateway, leases);
    }

    private sealed record Site(TestGateway Gateway, SwitchedLeases Leases) : IAsyncDisposable
    {
        /// <summary>
        /// Connects the badge and presses; returns once the engine has taken the press (and <paramref name="then"/>): the badge's state, sent after them,
        /// brought it online (no config: this gateway does not serve its channel).
        /// </summary>
        public async Task<TestBadge> PressAsync(string badgeId, byte channel, Func<TestBadge, Task>? then = null)
        {
            var badge = await Gateway.ConnectAsync(badgeId, announce: false);
            await badge.SendAsync(new FloorRequest { Channel = channel });
            if (then is not null)
            {
                await then(badge);
            }

            await badge.SendStateAsync(BadgeStatus.Idle, channel);
            Assert.True(await Eventually.TrueAsync(() => Gateway.Log.Contains($"Badge {badgeId} is online"), 10_000), string.Join("\n", Gateway.Log.Lines));
            return badge;
        }

        /// <summary>The leases of <paramref name="channels"/> come to this gateway now (the renewal's answer is back).</summary>
        public void Gain(params byte[] channels)
        {
            Leases.Held = channels.ToHashSet();
            Gateway.Host.Services.GetRequiredService<ChannelOwnership>().Renew([1, 2]);
        }

        public ValueTask DisposeAsync() => Gateway.DisposeAsync();
    }
}
