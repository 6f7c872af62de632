using System.Text.Json.Nodes;
using Microsoft.Playwright;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sessions;
using WalkieTalkie.Matrix.Sending;
using WalkieTalkie.WebWalkie.Tests.Support;

namespace WalkieTalkie.WebWalkie.Tests;

/// <summary>
/// A voice message a badge's account could never send, in headless Chromium: the badges page says "1 voice message
/// could not be sent" with the badge and the reason; Retry (an admin's, with the antiforgery token, audited) puts it
/// back and the outbox, running on the same file, sends it. A member who may not see that badge sees nothing of it and
/// cannot retry it. Screenshots at phone and desktop width.
/// </summary>
public sealed class ConsoleUnsentMessagesTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private readonly TestLog _log = new(output);

    [Fact]
    public async Task A_stuck_voice_message_is_shown_on_the_badges_page_and_retry_sends_it()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = bound.Token;
        await using var gateway = WebGateway.Create();
        gateway.AddBadge("kid");
        gateway.WebUsers.Add("boss", "boss-password", "admin");
        gateway.WebUsers.Add("mum", "mum-password", "member");
        gateway.AddChannel(1, "family", 8000, "kid", "mum");
        await gateway.StartAsync(_log);

        // The kid's badge account, its outbox on the gateway's Matrix folder, and a crypto step that fails every time
        // for one message (as a bridge would run it; the web test gateway runs no bridge of its own).
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var user = hs.RegisterUser("walkie-kid", "kid-password");
        var session = hs.CreateSession(user.UserId);
        using var client = new MatrixClient(hs.BaseUrl, new HttpClient(), new MatrixHttpOptions());
        client.UseSession(new MatrixSession(hs.BaseUrl, session.UserId, session.DeviceId, session.AccessToken));
        SqliteStores.Bridge(gateway.Database).Links.SaveBadge(new BadgeLink("kid", session.UserId, session.DeviceId));
        var room = await client.CreateRoomAsync(new JsonObject(), ct);
        var broken = true;
        ValueTask<PreparedEvent> Prepare(OutboxEntry entry, JsonObject content, CancellationToken _) =>
            Volatile.Read(ref broken) && content["body"]?.GetValue<string>() == "bus is late"
                ? throw new InvalidOperationException("no Megolm session could be made (simulated)")
                : ValueTask.FromResult(new PreparedEvent(entry.EventType, content));
        await using var outbox = new Outbox(client, new OutboxOptions
        {
            DatabasePath = UnsentMessages.OutboxPath(new MatrixBridgeOptions(), gateway.Directory),
            Owner = session.UserId + "|" + session.DeviceId,
            Backoff = new RetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(100), Jitter = 0 },
            StuckAfter = TimeSpan.Zero, StuckAfterAttempts = 3, IdleRecheck = TimeSpan.FromMilliseconds(200),
        }, Prepare);
        outbox.Start();
        var stuck = await outbox.EnqueueAsync(room, "m.room.message", new JsonObject { ["msgtype"] = "m.audio", ["body"] = "bus is late" }, cancellationToken: ct);
        await outbox.EnqueueAsync(room, "m.room.message", new JsonObject { ["msgtype"] = "m.audio", ["body"] = "home at five" }, cancellationToken: ct);
        Assert.True(await Eventually.TrueAsync(() => outbox.ListAsync(OutboxState.Sent, ct).Result.Count == 1, 30_000), "the later message was not sent past the stuck one");

        // A member who may not see the kid's badge sees nothing of it, and the server refuses her retry.
        var mum = await ConsoleBrowser.SignInAsync(browser, _log, gateway, "mum");
        await ConsoleBrowser.OpenAsync(mum, gateway, "console/badges");
        await mum.WaitForSelectorAsync("#badge-mum");
        Assert.Equal(0, await mum.Locator("#unsent").CountAsync());
        var refused = await mum.EvaluateAsync<int>($$"""
            async () => {
              const token = (await (await fetch('/web/v1/antiforgery')).json()).token;
              return (await fetch('/console/v1/outbox/{{stuck.Id}}/retry', { method: 'POST', headers: { 'X-Walkie-Antiforgery': token } })).status;
            }
            """);
        Assert.Equal(403, refused);

        var page = await ConsoleBrowser.SignInAsync(browser, _log, gateway, "boss");
        await ConsoleBrowser.OpenAsync(page, gateway, "console/badges");
        await Assertions.Expect(page.Locator("#unsent-heading")).ToHaveTextAsync("1 voice message could not be sent", new() { Timeout = 60_000 });
        var row = page.Locator($"#unsent-{stuck.Id}");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "stuck");
        await Assertions.Expect(row).ToContainTextAsync("kid");
        await Assertions.Expect(row).ToContainTextAsync("no Megolm session could be made");
        await Screenshots.TakeAsync(page, "console-unsent");

        Volatile.Write(ref broken, false);
        await row.Locator("button.retry").ClickAsync();
        await Assertions.Expect(page.Locator("#console-status")).ToContainTextAsync("Queued again", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#unsent")).ToHaveCountAsync(0);
        Assert.True(await Eventually.TrueAsync(() => outbox.ListAsync(OutboxState.Sent, ct).Result.Any(e => e.Id == stuck.Id), 30_000),
            "the retried message was not sent");
        Assert.Equal(2, hs.RoomEvents(room).Count(e => e["type"]?.GetValue<string>() == "m.room.message"));
        Assert.Contains(new SqliteAuditStore(gateway.Database).Recent(20),
            a => (a.Actor, a.Action, a.Target) == ("boss", "outbox.retry", "message " + stuck.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
