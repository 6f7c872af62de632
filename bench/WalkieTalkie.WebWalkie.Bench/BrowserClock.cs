using Microsoft.Playwright;

namespace WalkieTalkie.WebWalkie.Bench;

/// <summary>
/// How far the page's wall clock (<c>performance.timeOrigin + performance.now()</c>, what its tap stamps) sits from this
/// process's: the page is asked for its time a few times and the answer with the shortest round trip is compared with
/// the middle of that trip.
/// </summary>
public static class BrowserClock
{
    public static double UnixNow() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>The page's time minus this process's time, in ms.</summary>
    public static async Task<double> OffsetAsync(IPage page)
    {
        var best = double.MaxValue;
        var offset = 0.0;
        for (var i = 0; i < 8; i++)
        {
            var before = UnixNow();
            var pageNow = await page.EvaluateAsync<double>("() => performance.timeOrigin + performance.now()");
            var after = UnixNow();
            if (after - before < best)
            {
                best = after - before;
                offset = pageNow - (before + after) / 2;
            }
        }

        return offset;
    }
}
