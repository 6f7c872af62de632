using System.Text.Json;
using Microsoft.Playwright;

namespace WalkieTalkie.WebWalkie.Bench;

/// <summary>
/// The page's CPU over a span, from the Chrome DevTools Protocol: the main thread's busy time and script time
/// (<c>Performance.getMetrics</c>, TaskDuration and ScriptDuration) and the renderer process's CPU time over all its
/// threads, the audio worklets' included (<c>SystemInfo.getProcessInfo</c>).
/// </summary>
public sealed class BrowserCpu
{
    private readonly ICDPSession _page;
    private readonly ICDPSession _browser;
    private Sample _start;

    private BrowserCpu(ICDPSession page, ICDPSession browser)
    {
        _page = page;
        _browser = browser;
    }

    public sealed record Usage(double Seconds, double MainThreadPercent, double ScriptPercent, double RendererPercent);

    private readonly record struct Sample(double Wall, double Task, double Script, double Renderer);

    public static async Task<BrowserCpu> AttachAsync(IPage page, IBrowser browser)
    {
        var session = await page.Context.NewCDPSessionAsync(page);
        await session.SendAsync("Performance.enable");
        return new BrowserCpu(session, await browser.NewBrowserCDPSessionAsync());
    }

    public async Task StartAsync() => _start = await SampleAsync();

    public async Task<Usage> StopAsync()
    {
        var end = await SampleAsync();
        var wall = end.Wall - _start.Wall;
        return new Usage(wall, 100 * (end.Task - _start.Task) / wall, 100 * (end.Script - _start.Script) / wall, 100 * (end.Renderer - _start.Renderer) / wall);
    }

    private async Task<Sample> SampleAsync()
    {
        var wall = BrowserClock.UnixNow() / 1000;
        var metrics = (await _page.SendAsync("Performance.getMetrics"))!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
        var processes = (await _browser.SendAsync("SystemInfo.getProcessInfo"))!.Value.GetProperty("processInfo").EnumerateArray();
        var renderer = processes.Where(p => p.GetProperty("type").GetString() == "renderer").Sum(p => p.GetProperty("cpuTime").GetDouble());
        return new Sample(wall, metrics["TaskDuration"], metrics["ScriptDuration"], renderer);
    }
}
