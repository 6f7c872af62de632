using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.WebWalkie.Tests.Support;

namespace WalkieTalkie.WebWalkie.Tests;

/// <summary>
/// Issue 14, the console's changing part, in headless Chromium on a gateway serving the published app: an admin adds a
/// badge and sees its secret once, renames, rotates and removes it, adds a channel, grants a five-second permit and
/// watches it expire, and every change is in the CLI and the audit trail (and the CLI's in the console); a member sees
/// only its own channel and device and its changes are refused by the server. Screenshots of each page at phone and
/// desktop width.
/// </summary>
public sealed class ConsoleTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private readonly TestLog _log = new(output);

    private async Task<WebGateway> StartAsync()
    {
        var gateway = WebGateway.Create();
        gateway.AddBadge("kid");
        gateway.AddBadge("dad");
        gateway.WebUsers.Add("boss", "boss-password", "admin");
        gateway.WebUsers.Add("mum", "mum-password", "member");
        gateway.AddChannel(1, "family", 8000, "kid", "mum");
        gateway.AddChannel(3, "work", 8000, "dad");
        await gateway.StartAsync(_log);
        return gateway;
    }

    private Task<IPage> SignInAsync(WebGateway gateway, string user) => ConsoleBrowser.SignInAsync(browser, _log, gateway, user);

    private static Task OpenAsync(IPage page, WebGateway gateway, string path) => ConsoleBrowser.OpenAsync(page, gateway, path);

    private static Task<string> CliAsync(WebGateway gateway, params string[] args) =>
        WalkieCli.RunAsync(gateway.Directory, args).ContinueWith(r => r.Result.Output);

    [Fact]
    public async Task An_admin_provisions_badges_channels_and_permits_and_every_change_is_seen_by_the_cli_and_audited()
    {
        await using var gateway = await StartAsync();
        var page = await SignInAsync(gateway, "boss");

        // The walkie page leads an admin to the console.
        await page.ClickAsync("#open-console");
        await page.WaitForSelectorAsync("#add-badge", new PageWaitForSelectorOptions { Timeout = 60_000 });
        Assert.EndsWith("/walkie/console/badges", page.Url);
        await Screenshots.TakeAsync(page, "console-badges");

        // Add: the secret, its QR code and its file, once.
        await page.FillAsync("#badge-id", "eve");
        await page.FillAsync("#badge-name", "Eve");
        await page.ClickAsync("#add-badge");
        var secret = await (await page.WaitForSelectorAsync("#secret-value"))!.InnerTextAsync();
        var hasher = new SecretHasher(SiteKey.LoadOrCreate(gateway.Directory));
        Assert.Equal(SecretMatch.Matches, hasher.Verify("eve", secret, gateway.Badges.List().Single(b => b.Id == "eve").SecretHash));
        Assert.Equal("eve.secret", await page.GetAttributeAsync("#secret-file", "download"));
        Assert.StartsWith("data:image/png;base64,", await page.GetAttributeAsync("#secret-qr", "src"));
        await Screenshots.TakeAsync(page, "console-badge-secret");
        Assert.Matches(@"eve\s+Eve", await CliAsync(gateway, "badge", "list"));

        // Gone on reload.
        await OpenAsync(page, gateway, "console/badges");
        await page.WaitForSelectorAsync("#badge-eve");
        Assert.Equal(0, await page.Locator("#secret-value").CountAsync());
        Assert.DoesNotContain(secret, await page.ContentAsync());

        // Rename, rotate, remove; each seen by the CLI.
        await page.FillAsync("#rename-eve", "Evie");
        await page.ClickAsync("#badge-eve .rename");
        await Assertions.Expect(page.Locator("#badge-eve .badge-name")).ToHaveTextAsync("Evie");
        Assert.Matches(@"eve\s+Evie", await CliAsync(gateway, "badge", "list"));
        await page.ClickAsync("#badge-eve .rotate");
        await Assertions.Expect(page.Locator("#secret-value")).Not.ToHaveTextAsync(secret);
        var rotated = await page.InnerTextAsync("#secret-value");
        Assert.Equal(SecretMatch.Matches, hasher.Verify("eve", rotated, gateway.Badges.List().Single(b => b.Id == "eve").SecretHash));
        await page.ClickAsync("#badge-eve .remove");
        await page.ClickAsync("#badge-eve .remove");
        await Assertions.Expect(page.Locator("#badge-eve")).ToHaveCountAsync(0);
        Assert.DoesNotContain("eve", await CliAsync(gateway, "badge", "list"));

        // The CLI's change is in the console.
        await CliAsync(gateway, "badge", "add", "gran", "--name", "Gran");
        await OpenAsync(page, gateway, "console/badges");
        await Assertions.Expect(page.Locator("#badge-gran .badge-name")).ToHaveTextAsync("Gran");

        // A channel at 16 kHz.
        await OpenAsync(page, gateway, "console/channels");
        await page.FillAsync("#channel-number", "2");
        await page.FillAsync("#channel-name", "night");
        await page.SelectOptionAsync("#channel-rate", "16000");
        await page.ClickAsync("#add-channel");
        await page.WaitForSelectorAsync("#channel-2");
        Assert.Matches(@"2 night\s+16000", await CliAsync(gateway, "channel", "list"));
        await page.FillAsync("#join-2", "gran");
        await page.ClickAsync("#channel-2 .join");
        await Assertions.Expect(page.Locator("#channel-2 .members")).ToContainTextAsync("Gran");
        await Screenshots.TakeAsync(page, "console-channels");

        // A permit for five seconds, accepted for the badge: in force, then expired.
        await OpenAsync(page, gateway, "console/permits");
        await page.FillAsync("#permit-badge", "gran");
        await page.FillAsync("#permit-channel", "2");
        await page.FillAsync("#permit-seconds", "5");
        await page.CheckAsync("#permit-accepted");
        await page.ClickAsync("#grant-permit");
        await Assertions.Expect(page.Locator("#permit-gran-2 .in-force")).ToHaveTextAsync("receive+send");
        Assert.Matches(@"gran\s+2 receive\+send\s+receive\+send", await CliAsync(gateway, "permit", "list"));
        await Screenshots.TakeAsync(page, "console-permits");
        await Task.Delay(TimeSpan.FromSeconds(6));
        await OpenAsync(page, gateway, "console/permits");
        await Assertions.Expect(page.Locator("#permit-gran-2 .state")).ToHaveTextAsync("expired");
        await Assertions.Expect(page.Locator("#permit-gran-2 .in-force")).ToHaveTextAsync("none");
        Assert.Contains("(expired)", await CliAsync(gateway, "permit", "list"));

        // Everything in the audit trail: the console's and the CLI's.
        await OpenAsync(page, gateway, "console/audit");
        var audit = page.Locator("#audit");
        await Assertions.Expect(audit).ToContainTextAsync("badge.rotate-secret");
        var text = await audit.InnerTextAsync();
        Assert.Matches(new Regex(@"boss\s+console\s+badge\.add\s+eve"), text);
        Assert.Matches(new Regex(@"cli\s+badge\.add\s+gran"), text);
        Assert.Matches(new Regex(@"boss\s+console\s+permit\.grant\s+gran on channel 2"), text);
        await Screenshots.TakeAsync(page, "console-audit");
        Assert.Matches(@"boss\s+console\s+channel\.join\s+channel 2", await CliAsync(gateway, "audit"));
    }

    [Fact]
    public async Task A_member_sees_its_own_channel_and_device_only_and_the_server_refuses_its_changes()
    {
        await using var gateway = await StartAsync();
        var page = await SignInAsync(gateway, "mum");
        Assert.Equal(0, await page.Locator("#open-console").CountAsync());

        await OpenAsync(page, gateway, "console/channels");
        await page.WaitForSelectorAsync("#channel-1");
        Assert.Equal(0, await page.Locator("#channel-3").CountAsync());
        Assert.Equal(0, await page.Locator("#add-channel").CountAsync());
        await Screenshots.TakeAsync(page, "console-member-channels");

        await OpenAsync(page, gateway, "console/badges");
        await page.WaitForSelectorAsync("#badge-mum");
        Assert.Equal(0, await page.Locator("#badge-kid").CountAsync());
        Assert.Equal(0, await page.Locator("#badge-dad").CountAsync());
        Assert.Equal(0, await page.Locator("#add-badge").CountAsync());

        // The buttons are not there, and the server refuses the requests all the same (with a valid antiforgery token).
        var statuses = await page.EvaluateAsync<int[]>("""
            async () => {
              const token = (await (await fetch('/web/v1/antiforgery')).json()).token;
              const send = (method, path, body) => fetch(path, { method, headers: { 'Content-Type': 'application/json', 'X-Walkie-Antiforgery': token },
                body: body ? JSON.stringify(body) : undefined }).then(r => r.status);
              return [
                await send('POST', '/console/v1/badges', { id: 'eve' }),
                await send('DELETE', '/console/v1/badges/kid'),
                await send('POST', '/console/v1/channels/3/members', { badge: 'mum' }),
                await send('POST', '/console/v1/permits', { badge: 'mum', channel: 1, receive: true, send: true }),
                (await fetch('/console/v1/audit')).status,
              ];
            }
            """);
        Assert.Equal([403, 403, 403, 403, 403], statuses);
        Assert.DoesNotContain(gateway.Badges.List(), b => b.Id == "eve");
        Assert.Contains(gateway.Badges.List(), b => b.Id == "kid");
    }
}
