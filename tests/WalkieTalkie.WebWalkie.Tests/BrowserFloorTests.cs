using System.Collections.Concurrent;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.WebWalkie.Tests.Support;

namespace WalkieTalkie.WebWalkie.Tests;

/// <summary>
/// Issue 12, "Done when", the floor in a real browser: the page's push-to-talk (the space bar) and a virtual badge's
/// button press at once. What each side heard is read from its own tones: the page's tap (<c>walkieTap.tones</c>)
/// and the badge's log.
/// </summary>
public sealed class BrowserFloorTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const int Rate = 8000;

    private readonly TestLog _log = new(output);
    private readonly ConcurrentQueue<string> _badgeLog = new();

    private async Task<(WebGateway Gateway, WalkiePage Page, VirtualBadgeFleet Fleet)> StartAsync(bool mumHasPriority = false)
    {
        var gateway = WebGateway.Create();
        gateway.AddBadge("kid");
        gateway.WebUsers.Add("mum", "mum-password", "member");
        gateway.AddChannel(1, "family", Rate, "kid", "mum");
        if (mumHasPriority)
        {
            gateway.Badges.SetPriority("mum", true);
        }

        await gateway.StartAsync(_log);
        var page = new WalkiePage(await browser.Chromium.NewPageAsync(_log.Write));
        await page.OpenAsync(gateway.Url);
        await page.SignInLocalAsync("mum", "mum-password");
        await page.WaitForStatusAsync("Ready", 120_000);
        await page.ClearTapAsync();

        var fleet = new VirtualBadgeFleet
        {
            Log = (_, line) =>
            {
                _badgeLog.Enqueue(line);
                _log.Write(line);
            },
        };
        fleet.Add(new VirtualBadgeSettings { Id = "kid", Port = gateway.MqttPort, Password = gateway.Secrets["kid"], MicWav = browser.MicrophoneWav, Channels = [new VirtualChannel(1, Rate)] });
        fleet.Start();
        Assert.True(await fleet.WaitUntilAsync(f => f.Badges[0].Mode == BadgeMode.Idle, TimeSpan.FromSeconds(20)), "the badge did not connect");
        return (gateway, page, fleet);
    }

    private bool BadgeHeardTone(string tone) => _badgeLog.Any(l => l.EndsWith("kid: tone " + tone, StringComparison.Ordinal));

    [Fact]
    public async Task A_browser_and_a_badge_pressing_at_once_get_exactly_one_floor_and_the_other_hears_busy()
    {
        var (gateway, page, fleet) = await StartAsync();
        await using var _ = gateway;
        await using var __ = page;
        await using var ___ = fleet;
        var kid = fleet.Badges[0];

        await Task.WhenAll(page.TalkAsync(true), Task.Run(() => kid.SetTalk(true)));

        // Each side ends up either talking (the talk tone) or refused (the busy tone); wait for both to know.
        string[] pageTones = [];
        var decided = await Eventually.ValueAsync(async () =>
        {
            pageTones = await page.TonesAsync();
            var pageKnows = pageTones.Contains("talk") || pageTones.Contains("busy");
            var kidKnows = BadgeHeardTone("Talk") || BadgeHeardTone("Busy");
            return pageKnows && kidKnows ? "decided" : null;
        }, 15_000);
        _log.Write($"page tones: {string.Join(' ', pageTones)}; status: {await page.StatusAsync()}; kid: {kid.Mode}");
        Assert.True(decided is not null, $"the floor was not decided: page tones [{string.Join(' ', pageTones)}], kid {kid.Mode}");

        var browserGranted = pageTones.Contains("talk");
        var badgeGranted = BadgeHeardTone("Talk");
        Assert.True(browserGranted ^ badgeGranted, $"exactly one may talk: browser {browserGranted}, badge {badgeGranted}");
        if (browserGranted)
        {
            Assert.True(BadgeHeardTone("Busy"), "the badge was not told busy");
            await page.WaitForStatusAsync("Talk now", 5_000);
            Assert.NotEqual(BadgeMode.Talking, kid.Mode);
        }
        else
        {
            Assert.Contains("busy", pageTones);
            Assert.Equal(BadgeMode.Talking, kid.Mode);
            // Refused, the page says busy until the badge's burst reaches it, then who it hears.
            var status = await page.StatusAsync();
            if (status == "Receiving")
            {
                // The burst's first frame can overtake its burst-start, which names the talker: the name follows it.
                await page.WaitForStatusAsync("Receiving from Kid", 5_000);
                status = await page.StatusAsync();
            }
            Assert.True(status.Contains("Busy") || status.Contains("Receiving from Kid"), $"the refused page says \"{status}\"");
        }

        await page.TalkAsync(false);
        kid.SetTalk(false);
    }

    [Fact]
    public async Task A_priority_browser_cuts_in_on_a_badge_it_is_hearing()
    {
        var (gateway, page, fleet) = await StartAsync(mumHasPriority: true);
        await using var _ = gateway;
        await using var __ = page;
        await using var ___ = fleet;
        var kid = fleet.Badges[0];

        kid.SetTalk(true);
        Assert.True(await fleet.WaitUntilAsync(f => f.Badges[0].Mode == BadgeMode.Talking, TimeSpan.FromSeconds(10)), "the badge did not get the floor");
        await page.WaitForStatusAsync("Receiving from Kid", 15_000);

        await page.TalkAsync(true);
        await page.WaitForStatusAsync("Talk now", 10_000);
        Assert.Contains("talk", await page.TonesAsync());
        Assert.DoesNotContain("busy", await page.TonesAsync());
        Assert.True(await Eventually.TrueAsync(() => BadgeHeardTone("Preempted"), 10_000), "the badge was not told it was cut");
        Assert.NotEqual(BadgeMode.Talking, kid.Mode);

        await page.TalkAsync(false);
        kid.SetTalk(false);
    }
}
