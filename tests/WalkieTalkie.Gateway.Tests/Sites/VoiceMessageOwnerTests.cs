using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Sites.Floor;
using WalkieTalkie.Gateway.Tests.Playback;
using WalkieTalkie.Gateway.Tests.Sites.Floor;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Sites;

/// <summary>
/// A phone's voice message in a room two gateways serve ("gw-a" and "gw-b", linked in memory for the floor): gw-a, the
/// lower id, owns the room's incoming path and plays it into the one floor; gw-b keeps its copy until it heard gw-a's
/// play live to its end, and plays it itself when that play was cut, the link dropped, or gw-a never played it. The
/// live audio from gw-a is handed to gw-b's engine as the site link does (<c>StartRemoteBurst</c> with the event id).
/// </summary>
public sealed class VoiceMessageOwnerTests
{
    private const string Room = "!shared:example.org";
    private const int Blocks = 12;

    [Fact]
    public async Task The_owner_plays_it_into_the_floor_across_sites_and_the_other_site_is_busy_meanwhile()
    {
        await using var sites = await LinkedSites.StartAsync();
        var (a, b, bert) = (sites.A, sites.B, sites.Bert);
        var anna = await a.ConnectAsync("anna");

        // A long message, so that the floor across sites is still held when bert presses.
        var burstId = await Queue(a, "$owned", blocks: 60);
        var start = await anna.WaitForAsync<BurstStart>(s => s.BurstId == burstId, timeoutMs: 5000);
        Assert.Equal("Dad", start.Talker);
        Assert.True(await Eventually.TrueAsync(() => b.Host.Engine.SiteFloor!.RemoteHolder(Room)?.Talker == Talker.MatrixPrefix + "Dad", 5000),
            "gw-b never learnt that gw-a's voice message holds the floor");
        Assert.Equal(DenyReason.Busy, Assert.IsType<FloorDenied>(await bert.RequestFloorAsync(1)).Reason);
        await anna.WaitForAsync<BurstEnd>(e => e.BurstId == burstId, timeoutMs: 15_000);
        Assert.True(await Eventually.TrueAsync(() => b.Host.Engine.SiteFloor!.RemoteHolder(Room) is null, 5000));
    }

    [Fact]
    public async Task The_other_site_keeps_its_copy_until_it_heard_the_owners_play_and_then_never_plays_it()
    {
        await using var sites = await LinkedSites.StartAsync();
        var (b, bert) = (sites.B, sites.Bert);

        var copy = await Queue(b, "$e1");
        await Task.Delay(1000);
        Assert.False(bert.Has<BurstStart>(), "gw-b played a message gw-a owns");
        Assert.True(b.Log.Contains("$e1", "waits for gateway gw-a"));

        PlayFromOwner(b, siteBurstId: 70, "$e1", Blocks, end: true);
        var live = await bert.WaitForAsync<BurstStart>(timeoutMs: 5000);
        await bert.WaitForAsync<BurstEnd>(e => e.BurstId == live.BurstId, timeoutMs: 5000);
        Assert.NotEqual(copy, live.BurstId);
        Assert.Equal(Blocks, bert.FramesOf(live.BurstId).Count);
        Assert.True(await Eventually.TrueAsync(() => b.Log.Contains("$e1", "heard live from site gw-a: not played again"), 5000));

        // Delivered again by the bridge, or played again by another site: answered with the burst it played as, not played.
        Assert.Equal(live.BurstId, await Queue(b, "$e1"));
        PlayFromOwner(b, siteBurstId: 71, "$e1", Blocks, end: true);
        await Task.Delay(1000);
        Assert.Single(bert.Control.OfType<BurstStart>());
    }

    [Fact]
    public async Task A_live_play_cut_before_its_end_leaves_the_other_site_to_play_its_copy_whole()
    {
        await using var sites = await LinkedSites.StartAsync();
        var (b, bert) = (sites.B, sites.Bert);

        var copy = await Queue(b, "$e2");
        PlayFromOwner(b, siteBurstId: 80, "$e2", 4, end: false);
        var live = await bert.WaitForAsync<BurstStart>(timeoutMs: 5000);
        b.Host.Engine.RemoteSiteGone("gw-a"); // its link broke mid-message
        await bert.WaitForAsync<BurstEnd>(e => e.BurstId == live.BurstId, timeoutMs: 5000);

        var own = await bert.WaitForAsync<BurstStart>(s => s.BurstId == copy, timeoutMs: 5000);
        await bert.WaitForAsync<BurstEnd>(e => e.BurstId == own.BurstId, timeoutMs: 10_000);
        Assert.Equal(Blocks, bert.FramesOf(copy).Count);
        Assert.True(b.Log.Contains("$e2", "plays here"));
    }

    [Fact]
    public async Task When_the_link_to_the_owner_drops_the_other_site_plays_its_copy()
    {
        await using var sites = await LinkedSites.StartAsync();
        var (b, bert) = (sites.B, sites.Bert);

        var copy = await Queue(b, "$e3");
        await Task.Delay(500);
        Assert.False(bert.Has<BurstStart>());
        sites.Network.Cut("gw-a", "gw-b");
        var own = await bert.WaitForAsync<BurstStart>(s => s.BurstId == copy, timeoutMs: 5000);
        await bert.WaitForAsync<BurstEnd>(e => e.BurstId == own.BurstId, timeoutMs: 10_000);
        Assert.Equal(Blocks, bert.FramesOf(copy).Count);
    }

    [Fact]
    public async Task An_owner_that_never_plays_it_is_waited_for_only_as_long_as_the_option_says()
    {
        await using var sites = await LinkedSites.StartAsync(ownerWaitSeconds: 1);
        var (b, bert) = (sites.B, sites.Bert);

        var copy = await Queue(b, "$e4");
        var own = await bert.WaitForAsync<BurstStart>(s => s.BurstId == copy, timeoutMs: 10_000);
        await bert.WaitForAsync<BurstEnd>(e => e.BurstId == own.BurstId, timeoutMs: 10_000);
        Assert.True(b.Log.Contains("$e4", "did not play it within 1 s"));
    }

    private static Task<uint> Queue(TestGateway site, string eventId, int blocks = Blocks) =>
        ((IBadgePlayer)new EngineBadgePlayer(site.Host.Engine)).QueueAsync("ch1", MatrixAudio.Message(blocks, tag: 3), "Dad", "@dad:example.org", eventId,
            CancellationToken.None).AsTask();

    /// <summary>What gw-a's link hands gw-b's engine when gw-a plays the message: its start, its frames, its end.</summary>
    private static void PlayFromOwner(TestGateway site, uint siteBurstId, string eventId, int blocks, bool end)
    {
        var engine = site.Host.Engine;
        engine.StartRemoteBurst("gw-a", siteBurstId, 1, "Dad", 8000, eventId);
        foreach (var frame in BurstFrames.Cut(MatrixAudio.Message(blocks, tag: 3).AdpcmBlocks, 1, siteBurstId, SampleRate.FromHertz(8000), 1))
        {
            engine.RemoteFrame("gw-a", frame);
        }

        if (end)
        {
            engine.EndRemoteBurst("gw-a", siteBurstId);
        }
    }

    /// <summary>gw-a (anna) and gw-b (bert, connected) on channel 1 of one room, linked; gw-b waits for the owner as long as given.</summary>
    private sealed record LinkedSites(InMemorySiteNetwork Network, TestGateway A, TestGateway B, TestBadge Bert) : IAsyncDisposable
    {
        public static async Task<LinkedSites> StartAsync(int ownerWaitSeconds = 15)
        {
            var network = new InMemorySiteNetwork();
            var a = await StartSiteAsync(network, "gw-a", "anna", 15);
            var b = await StartSiteAsync(network, "gw-b", "bert", ownerWaitSeconds);
            network.Connect("gw-a", "gw-b", Room);
            return new LinkedSites(network, a, b, await b.ConnectAsync("bert"));
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await Network.DisposeAsync();
        }

        private static async Task<TestGateway> StartSiteAsync(InMemorySiteNetwork network, string id, string badge, int ownerWaitSeconds)
        {
            var gateway = TestGateway.Create();
            gateway.AddBadge(badge);
            gateway.AddChannel(1, 8000, badge);
            var peers = network.Join(id, new Dictionary<byte, string> { [1] = Room });
            gateway.Services = services =>
            {
                services.AddSingleton(peers);
                services.Configure<SiteFloorOptions>(o => o.VoiceMessageOwnerWaitSeconds = ownerWaitSeconds);
            };
            await gateway.StartAsync(BrokerKind.InMemory);
            return gateway;
        }
    }
}
