using Microsoft.Playwright;

namespace WalkieTalkie.WebWalkie.Tests.Support;

/// <summary>
/// Debian's chromium, headless, through Playwright (never a downloaded browser), with a fake microphone reading a WAV
/// file (looped) and audio allowed to start without a gesture. One per test class.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        Playwright = playwright;
        Browser = browser;
    }

    public IPlaywright Playwright { get; }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync(string microphoneWav)
    {
        Assert.True(File.Exists(Executable), "Debian's chromium is needed (scripts/deps/apt-packages)");
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-sync",
                "--disable-default-apps", "--no-first-run", "--disable-component-update", "--mute-audio",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + microphoneWav,
                "--autoplay-policy=no-user-gesture-required",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                // The widget host page stands in for Element at a made-up public origin and frames the gateway on
                // loopback: Chromium's local network access checks would block that (Element and a gateway on one LAN
                // meet the same prompt, which a person answers once).
                "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessForNavigations,PrivateNetworkAccessForIframes,BlockInsecurePrivateNetworkRequests",
            ],
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>A fresh context (its own cookies and storage) and page, phone-sized unless told otherwise; console lines go to <paramref name="log"/>.</summary>
    public async Task<IPage> NewPageAsync(Action<string> log, int width = 390, int height = 844, string? origin = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Permissions = origin is null ? ["microphone"] : [],
        });
        if (origin is not null)
        {
            await context.GrantPermissionsAsync(["microphone"], new BrowserContextGrantPermissionsOptions { Origin = origin });
        }

        var page = await context.NewPageAsync();
        page.Console += (_, message) => log($"[browser {message.Type}] {message.Text}");
        page.PageError += (_, error) => log($"[browser error] {error}");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        Playwright.Dispose();
    }
}
