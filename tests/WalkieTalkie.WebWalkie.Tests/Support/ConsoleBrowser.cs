using Microsoft.Playwright;

namespace WalkieTalkie.WebWalkie.Tests.Support;

/// <summary>The console's pages in Chromium: signed in through the walkie's own form, a page opened once its heading is there.</summary>
public static class ConsoleBrowser
{
    public static async Task<IPage> SignInAsync(BrowserFixture browser, TestLog log, WebGateway gateway, string user)
    {
        var walkie = new WalkiePage(await browser.Chromium.NewPageAsync(log.Write));
        await walkie.OpenAsync(gateway.Url);
        await walkie.SignInLocalAsync(user, user + "-password");
        await walkie.Page.WaitForSelectorAsync("#sign-out", new PageWaitForSelectorOptions { Timeout = 120_000 });
        return walkie.Page;
    }

    public static async Task OpenAsync(IPage page, WebGateway gateway, string path)
    {
        await page.GotoAsync(gateway.Url + path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle, Timeout = 120_000 });
        await page.WaitForSelectorAsync("#console-main h1", new PageWaitForSelectorOptions { Timeout = 120_000 });
    }
}
