using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Sites.Floor;
using WalkieTalkie.Gateway.Tests.Sites.Support;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Sites;

/// <summary>
/// The live link between two gateways on the test homeserver: the floor's messages and its peers coming and going go
/// through it (<see cref="ISitePeers"/>), and hostile input gets a clear refusal, logged once per offender.
/// </summary>
[Collection(TwoSites.Collection)]
public sealed class SiteLinkTests
{
    private sealed class Inbox : ISiteFloorInbox
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public ConcurrentQueue<SiteFloorMessage> Messages { get; } = new();

        public void OnPeerUp(string roomId, string peerGatewayId) => Events.Enqueue($"up {roomId} {peerGatewayId}");

        public void OnPeerDown(string roomId, string peerGatewayId) => Events.Enqueue($"down {roomId} {peerGatewayId}");

        public void OnMessage(string peerGatewayId, SiteFloorMessage message)
        {
            Assert.Equal("site-a", peerGatewayId);
            Messages.Enqueue(message);
        }
    }

    private static ISitePeers PeersOf(TestGateway site) => site.Host.Services.GetRequiredService<ISitePeers>();

    [Fact]
    public async Task Floor_messages_and_peers_go_over_the_link_and_a_claim_for_another_room_is_refused()
    {
        await using var sites = await TwoSites.StartAsync(["anna"], ["bert"]);
        var inbox = new Inbox();
        PeersOf(sites.B).Attach(inbox);
        Assert.True(await sites.LinkedAsync(), "the sites did not link");
        sites.Network.Cut();
        Assert.True(await Eventually.TrueAsync(() => inbox.Events.Contains($"down {sites.RoomId} site-a"), 10_000));
        sites.Network.Restore();
        Assert.True(await sites.LinkedAsync(), "the sites did not link again");
        Assert.True(await Eventually.TrueAsync(() => inbox.Events.Contains($"up {sites.RoomId} site-a"), 10_000));

        var a = PeersOf(sites.A);
        Assert.Equal("site-a", a.OwnGatewayId);
        Assert.Equal(sites.RoomId, a.RoomOf(TwoSites.Channel));
        Assert.Equal(TwoSites.Channel, PeersOf(sites.B).ChannelOf(sites.RoomId));
        Assert.Equal(["site-b"], a.LinkedPeers(sites.RoomId));
        var claim = new SiteFloorClaim(sites.RoomId, "site-a", 5, "anna", "Anna", 1_700_000_000_000);
        Assert.True(a.Send("site-b", claim));
        Assert.True(await Eventually.TrueAsync(() => inbox.Messages.Contains(claim), 10_000));

        // A claim in a room the link was not made for: refused, the link closed, logged once however often it happens.
        var refusals = sites.B.Host.Services.GetRequiredService<WalkieTalkie.Gateway.Sites.Link.LinkRefusals>();
        for (var i = 1; i <= 2; i++)
        {
            // Sent again until refused: a send can go to a link that is closing from the previous refusal.
            for (var attempt = 0; attempt < 20 && refusals.Count < i; attempt++)
            {
                Assert.True(await sites.LinkedAsync(), "the sites did not link again");
                a.Send("site-b", claim with { RoomId = "!elsewhere:test.local" });
                await Eventually.TrueAsync(() => refusals.Count >= i, 1000);
            }

            Assert.True(refusals.Count >= i, $"refusal {i} did not happen");
        }

        Assert.Equal(1, sites.B.Log.Count("refused for site-a", "!elsewhere:test.local"));
        Assert.DoesNotContain(inbox.Messages, m => m.RoomId == "!elsewhere:test.local");
        Assert.True(await sites.LinkedAsync(), "the sites did not link after the refusals");
    }

    [Fact]
    public async Task A_link_that_replaces_one_the_far_side_never_saw_drop_forgets_what_the_old_one_said()
    {
        await using var sites = await TwoSites.StartAsync(["anna"], ["bert"]);
        Assert.True(await sites.LinkedAsync(), "the sites did not link");
        var anna = await sites.A.ConnectAsync("anna");
        var bert = await sites.B.ConnectAsync("bert");
        var floorB = sites.B.Host.Engine.SiteFloor!;

        // Anna talks: house B knows her claim.
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(TwoSites.Channel));
        Assert.True(await Eventually.TrueAsync(() => floorB.RemoteHolder(sites.RoomId) is not null, 10_000), "house B never heard Anna's claim");

        // House A's end of the link drops (its router restarts); house B hears nothing of it. Anna lets go while A is apart.
        sites.Network.DropDialerSide();
        Assert.True(await Eventually.TrueAsync(() => !TwoSites.LinksOf(sites.A).IsLinked("site-b"), 10_000), "site A did not see its link drop");
        await anna.SendAsync(new FloorRelease { Channel = TwoSites.Channel, BurstId = grant.BurstId });

        // A links again; B takes the new link in place of the one it still held, and forgets the claims of the old one.
        Assert.True(await Eventually.TrueAsync(() => TwoSites.LinksOf(sites.A).IsLinked("site-b"), 20_000), "site A did not link again");
        Assert.True(await Eventually.TrueAsync(() => floorB.RemoteHolder(sites.RoomId) is null, 10_000), "house B still holds Anna's claim of the dropped link");
        Assert.True(await GrantedWithinAsync(bert, 10_000), "Bert was never given the floor");
    }

    [Fact]
    public async Task A_stranger_is_refused_with_a_reason()
    {
        await using var sites = await TwoSites.StartAsync(["anna"], ["bert"]);
        var endpoint = new Uri($"ws://127.0.0.1:{sites.B.HttpPort}{SiteServices.LinkPath}");

        Assert.Contains("not JSON", await RefusalAsync(endpoint, "garbage"));
        Assert.Contains("hello", await RefusalAsync(endpoint, """{"type":"burst_end","burst_id":1}"""));
        Assert.Contains("OpenID", await RefusalAsync(endpoint,
            $$"""{"type":"hello","gateway_id":"site-x","user_id":"{{sites.GranterA.UserId}}","openid":{"access_token":"forged","matrix_server_name":"{{sites.Homeserver.ServerName}}"},"rooms":["{{sites.RoomId}}"]}"""));
        Assert.Equal(1, sites.B.Log.Count("refused for", "not JSON"));
        Assert.Equal(1, sites.B.Log.Count("refused for site-x", "OpenID"));
    }

    // Presses until granted (the room's floor event of Anna's release may still be on its way): true when granted in time.
    private static async Task<bool> GrantedWithinAsync(TestBadge badge, int timeoutMs)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < until)
        {
            if (await badge.RequestFloorAsync(TwoSites.Channel) is FloorGranted)
            {
                return true;
            }

            await Task.Delay(300);
        }

        return false;
    }

    /// <summary>Sends one text message as the first of a link and returns the refusal's reason (the socket closes after it).</summary>
    private static async Task<string> RefusalAsync(Uri endpoint, string text)
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(endpoint, timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        var answer = Encoding.UTF8.GetString(buffer, 0, result.Count);
        Assert.Contains("\"refused\"", answer);
        var close = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        return answer;
    }
}
