using Microsoft.Playwright;

namespace WalkieTalkie.WebWalkie.Tests.Support;

/// <summary>Screenshots of the pages, at phone and desktop width, into artifacts/test-results/screenshots.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Directory.CreateDirectory(RepositoryFiles.PathOf("artifacts/test-results/screenshots")).FullName;

    /// <summary>The page as it is now at phone width (its own viewport) and at desktop width, then back.</summary>
    public static async Task TakeAsync(IPage page, string name)
    {
        var viewport = page.ViewportSize!;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + "-phone.png"), FullPage = true });
        await page.SetViewportSizeAsync(1280, 800);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + "-desktop.png"), FullPage = true });
        await page.SetViewportSizeAsync(viewport.Width, viewport.Height);
    }
}
