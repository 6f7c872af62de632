using System.Net;
using System.Net.WebSockets;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Gateway.Tests.Web;

/// <summary>
/// The web walkie's WebSocket on a running gateway, driven without a browser: a gateway-local account's device is a
/// badge to floor, fan-out and permits; the upgrade is refused without a session or from another origin; hostile frames
/// are dropped, logged once, and nobody else notices.
/// </summary>
public class WebWalkieSocketTests
{
    private static async Task<TestGateway> StartAsync(Action<TestGateway>? more = null)
    {
        var g = TestGateway.Create();
        g.Http = new HttpOptions { BindAddress = "127.0.0.1", Port = FreePort.Next(), TlsPort = 0 };
        g.AddBadge("kid");
        g.AddBadge("dad");
        g.WebUsers.Add("mum", "mum-password", "member");
        g.AddChannel(1, 8000, "kid", "dad", "mum");
        more?.Invoke(g);
        return await g.StartAsync();
    }

    [Fact]
    public async Task A_web_account_hears_a_badge_and_talks_to_badges_like_a_badge()
    {
        await using var g = await StartAsync();
        var kid = await g.ConnectAsync("kid");
        var dad = await g.ConnectAsync("dad");
        await using var mum = new TestWebClient(g.HttpPort);
        Assert.Equal(HttpStatusCode.OK, (await mum.LoginAsync("mum", "mum-password")).StatusCode);
        await mum.ConnectAsync();

        var config = await mum.WaitForAsync<Config>();
        Assert.Equal(1, config.Channels.Single().Channel);
        Assert.Equal(PermitBits.Known, config.Channels.Single().Permits);

        // A badge talks: the browser gets the burst's start, every frame byte for byte, and its end.
        var grant = Assert.IsType<FloorGranted>(await kid.RequestFloorAsync(1));
        await kid.TalkAsync(grant, 10);
        await mum.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        Assert.Contains(mum.Control.OfType<BurstStart>(), s => s.BurstId == grant.BurstId && s.Talker == "Kid");
        Assert.Equal(10, mum.Audio.Count);
        Assert.All(mum.Audio.Select((f, i) => (f, i)), x => Assert.Equal(TestFrames.Make(1, grant.BurstId, (ushort)x.i, last: x.i == 9), x.f));

        // The browser talks: the floor is its, and both badges hear its frames.
        await mum.SendControlAsync(new FloorRequest { Channel = 1 });
        var mine = await mum.WaitForAsync<FloorGranted>();
        for (var i = 0; i < 8; i++)
        {
            await mum.SendFrameAsync(TestFrames.Make(1, mine.BurstId, (ushort)i, last: i == 7));
        }

        await mum.SendControlAsync(new FloorRelease { Channel = 1, BurstId = mine.BurstId, FrameCount = 8 });
        await kid.WaitForAsync<BurstEnd>(e => e.BurstId == mine.BurstId);
        await dad.WaitForAsync<BurstEnd>(e => e.BurstId == mine.BurstId);
        Assert.Equal(8, kid.FramesOf(mine.BurstId).Count);
        Assert.Equal(8, dad.FramesOf(mine.BurstId).Count);
        Assert.Contains(kid.Control.OfType<BurstStart>(), s => s.BurstId == mine.BurstId && s.Talker == "mum");

        // And it is recorded like any burst.
        await Eventually.TrueAsync(() => new WalkieTalkie.Gateway.Storage.Sqlite.SqliteRecordingIndex(g.Database).Get(mine.BurstId) is { Complete: true });
        var recording = new WalkieTalkie.Gateway.Storage.Sqlite.SqliteRecordingIndex(g.Database).Get(mine.BurstId)!;
        Assert.Equal("mum", recording.BadgeId);
        Assert.Equal(8, recording.FramesReceived);
    }

    [Fact]
    public async Task A_browser_and_a_badge_pressing_at_once_get_exactly_one_floor_and_the_other_hears_busy()
    {
        await using var g = await StartAsync();
        var kid = await g.ConnectAsync("kid");
        await using var mum = new TestWebClient(g.HttpPort);
        await mum.LoginAsync("mum", "mum-password");
        await mum.ConnectAsync();

        await Task.WhenAll(mum.SendControlAsync(new FloorRequest { Channel = 1 }), kid.SendAsync(new FloorRequest { Channel = 1 }));
        var browser = await mum.WaitForAsync<ControlMessage>(m => m is FloorGranted or FloorDenied);
        var badge = await kid.WaitForAsync<ControlMessage>(m => m is FloorGranted or FloorDenied);

        Assert.Single(new[] { browser, badge }.OfType<FloorGranted>());
        var denied = Assert.Single(new[] { browser, badge }.OfType<FloorDenied>());
        Assert.Equal(DenyReason.Busy, denied.Reason);
    }

    [Fact]
    public async Task A_priority_browser_preempts_a_talking_badge()
    {
        await using var g = await StartAsync(g => g.Badges.SetPriority("mum", true));
        var kid = await g.ConnectAsync("kid");
        var dad = await g.ConnectAsync("dad");
        await using var mum = new TestWebClient(g.HttpPort);
        await mum.LoginAsync("mum", "mum-password");
        await mum.ConnectAsync();

        var kids = Assert.IsType<FloorGranted>(await kid.RequestFloorAsync(1));
        await kid.TalkAsync(kids, 3, release: false);
        await mum.SendControlAsync(new FloorRequest { Channel = 1 });

        var mine = await mum.WaitForAsync<FloorGranted>();
        var revoked = await kid.WaitForAsync<FloorRevoked>();
        Assert.Equal(kids.BurstId, revoked.BurstId);
        Assert.Equal(EndReason.Preempted, revoked.Reason);
        await dad.WaitForAsync<BurstStart>(s => s.BurstId == mine.BurstId && s.Talker == "mum");
    }

    [Fact]
    public async Task The_upgrade_is_refused_without_a_session_or_from_another_origin_and_each_refusal_is_logged()
    {
        await using var g = await StartAsync();
        await using var mum = new TestWebClient(g.HttpPort);

        // No session: no ticket at all, and neither a made-up one.
        Assert.Equal(HttpStatusCode.Unauthorized, (await mum.TicketResponseAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await TestWebClient.RefusedUpgradeAsync(g.HttpPort, "", mum.Origin));
        Assert.Equal(HttpStatusCode.Unauthorized, await TestWebClient.RefusedUpgradeAsync(g.HttpPort, "?ticket=made-up", mum.Origin));

        Assert.Equal(HttpStatusCode.OK, (await mum.LoginAsync("mum", "mum-password")).StatusCode);
        // A cookie alone is not enough to get a ticket: the antiforgery token must come with it.
        Assert.Equal(HttpStatusCode.BadRequest, (await mum.TicketResponseAsync(withAntiforgery: false)).StatusCode);

        // Another origin, or none, even with a good ticket; the ticket is not spent by a refused upgrade's origin check.
        var ticket = await mum.TicketAsync();
        Assert.Equal(HttpStatusCode.Forbidden, await TestWebClient.RefusedUpgradeAsync(g.HttpPort, "?ticket=" + ticket, "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await TestWebClient.RefusedUpgradeAsync(g.HttpPort, "?ticket=" + ticket, null));
        await mum.ConnectAsync(ticket);
        // A ticket works once.
        Assert.Equal(HttpStatusCode.Unauthorized, await TestWebClient.RefusedUpgradeAsync(g.HttpPort, "?ticket=" + ticket, mum.Origin));

        Assert.Equal(1, g.Log.Count("Refused web walkie socket", "cross-origin upgrade"));
        Assert.Equal(1, g.Log.Count("Refused web walkie socket", "no session"));
        Assert.Equal(1, g.Log.Count("Refused socket ticket", "antiforgery"));
        Assert.True(g.Log.Contains("evil.example"));
    }

    [Fact]
    public async Task Sign_in_needs_the_right_password_and_the_antiforgery_token_and_is_rate_limited()
    {
        await using var g = await StartAsync();
        await using var eve = new TestWebClient(g.HttpPort);

        Assert.Equal(HttpStatusCode.BadRequest, (await eve.LoginAsync("mum", "mum-password", withAntiforgery: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await eve.LoginAsync("mum", "guess")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await eve.LoginAsync("nobody\u001b[31m", "guess")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await eve.Http.GetAsync("walkie/v1/me")).StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add((await eve.LoginAsync("mum", "guess" + i)).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        // Even the right password waits for the window to pass.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await eve.LoginAsync("mum", "mum-password")).StatusCode);
        Assert.Equal(1, g.Log.Count("Refused login", "wrong user name or password"));
        Assert.Equal(1, g.Log.Count("Refused sign-in", "too many attempts"));
        // What the client sent is escaped in the log: no terminal escape reaches it.
        Assert.DoesNotContain(g.Log.Lines, l => l.Contains('\u001b'));
    }

    [Fact]
    public async Task A_browser_asking_for_another_channel_is_denied_and_hears_nothing_of_it()
    {
        await using var g = await StartAsync(g =>
        {
            g.AddBadge("boss");
            g.AddChannel(2, 8000, "boss", "dad");
        });
        var boss = await g.ConnectAsync("boss");
        await g.ConnectAsync("dad");
        await using var mum = new TestWebClient(g.HttpPort);
        await mum.LoginAsync("mum", "mum-password");
        await mum.ConnectAsync();

        await mum.SendControlAsync(new FloorRequest { Channel = 2 });
        var denied = await mum.WaitForAsync<FloorDenied>();
        Assert.Equal(2, denied.Channel);

        var grant = Assert.IsType<FloorGranted>(await boss.RequestFloorAsync(2));
        await boss.TalkAsync(grant, 5);
        await Task.Delay(300);
        Assert.Empty(mum.Audio);
        Assert.DoesNotContain(mum.Control, m => m is BurstStart s && s.Channel == 2);
        // Its frames on channel 2 go nowhere either.
        await mum.SendFrameAsync(TestFrames.Make(2, grant.BurstId, 0));
        Assert.True(await Eventually.TrueAsync(() => g.Log.Contains("Dropped audio frame", "mum")));
    }

    [Fact]
    public async Task Malformed_oversized_and_text_messages_and_a_flood_are_dropped_and_logged_once_and_others_are_unaffected()
    {
        // One line per offender and kind of refusal in a window (the default allows a few): a browser's malformed control
        // messages go through the same rate-limited refusals as a badge's.
        await using var g = await StartAsync(g =>
        {
            g.Mqtt.FloodBurst = 50;
            g.Limits.RefusalLogLines = 1;
        });
        var kid = await g.ConnectAsync("kid");
        var dad = await g.ConnectAsync("dad");
        await using var mum = new TestWebClient(g.HttpPort);
        await mum.LoginAsync("mum", "mum-password");
        await mum.ConnectAsync();

        for (var i = 0; i < 3; i++)
        {
            await mum.SendRawAsync([(byte)TopicKind.DownControl, 1, 0x11, 1, 0, 0, 0, 0, 30, 0]); // a gateway-only kind
            await mum.SendRawAsync([0x7f, 1, 2, 3]);                                                // no kind at all
            await mum.SendRawAsync([(byte)TopicKind.UpControl]);                                    // nothing inside
            await mum.SendRawAsync(new byte[WireEnvelope.MaxLength + 100]);                         // oversized
            await mum.SendRawAsync("hello"u8.ToArray(), WebSocketMessageType.Text);                 // text
            await mum.SendEnvelopeAsync(TopicKind.UpControl, [1, 0x10]);                            // a truncated floor-request
        }

        // A flood of well-formed messages: the flood guard lets its burst through and drops the rest.
        for (var i = 0; i < 400; i++)
        {
            await mum.SendControlAsync(new BadgeState { Status = BadgeStatus.Idle, Channel = 1, BatteryPercent = 255, Firmware = "x" }, TopicKind.UpState);
        }

        // Meanwhile the badges talk as usual.
        var grant = Assert.IsType<FloorGranted>(await kid.RequestFloorAsync(1));
        await kid.TalkAsync(grant, 10);
        await dad.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        Assert.Equal(10, dad.FramesOf(grant.BurstId).Count);
        Assert.Equal(WebSocketState.Open, mum.State);

        Assert.True(await Eventually.TrueAsync(() => g.Log.Contains("Flood from badge mum")));
        Assert.Equal(1, g.Log.Count("Dropped a message from the web walkie of device mum", "UnknownType", "kind byte 5"));
        Assert.Equal(1, g.Log.Count("Dropped a message from the web walkie of device mum", "UnknownType", "kind byte 127"));
        Assert.Equal(1, g.Log.Count("Dropped a message from the web walkie of device mum", "Truncated"));
        Assert.Equal(1, g.Log.Count("Dropped a message from the web walkie of device mum", "longer than"));
        Assert.Equal(1, g.Log.Count("Dropped a text message from the web walkie of device mum"));
        Assert.Equal(1, g.Log.Count("Dropped malformed control message from badge mum"));
        Assert.Equal(1, g.Log.Count("Flood from badge mum"));
    }
}
