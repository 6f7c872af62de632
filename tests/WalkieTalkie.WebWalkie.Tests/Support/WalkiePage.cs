using System.Text.Json;
using Microsoft.Playwright;

namespace WalkieTalkie.WebWalkie.Tests.Support;

/// <summary>What a test does with the web walkie's page: sign in, push to talk, read the status and the playback tap.</summary>
public sealed class WalkiePage(IPage page) : IAsyncDisposable
{
    public IPage Page => page;

    public async Task OpenAsync(string url) => await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle, Timeout = 120_000 });

    public async Task SignInLocalAsync(string user, string password)
    {
        await page.ClickAsync("#tab-local", new PageClickOptions { Timeout = 120_000 });
        await page.FillAsync("#local-user", user);
        await page.FillAsync("#local-password", password);
        await page.ClickAsync("#local-sign-in");
    }

    public async Task SignInMatrixAsync(string homeserver, string user, string password)
    {
        await page.FillAsync("#homeserver", homeserver, new PageFillOptions { Timeout = 120_000 });
        await page.FillAsync("#matrix-user", user);
        await page.FillAsync("#matrix-password", password);
        await page.ClickAsync("#matrix-sign-in");
    }

    public Task<string> StatusAsync() => page.InnerTextAsync("#status");

    /// <summary>Waits until the status line says <paramref name="text"/> (a part of it).</summary>
    public async Task WaitForStatusAsync(string text, float timeoutMs = 30_000)
    {
        try
        {
            await page.WaitForFunctionAsync("t => document.querySelector('#status')?.innerText.includes(t)", text,
                new PageWaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 50 });
        }
        catch (TimeoutException)
        {
            var shown = await page.EvaluateAsync<string>("() => document.querySelector('#status')?.innerText ?? '(no status line)'");
            Assert.Fail($"the status did not say \"{text}\" within {timeoutMs} ms; it says \"{shown}\"");
        }
    }

    /// <summary>
    /// Waits until the channel panel says who talks (<paramref name="talker"/>, or "Quiet" for null) and names exactly
    /// <paramref name="listeners"/> as listening, with their count; fails with what the panel says at the end.
    /// </summary>
    public async Task WaitForLiveAsync(string? talker, string[] listeners, float timeoutMs = 5_000)
    {
        var talking = talker is null ? "Quiet" : talker + " is talking";
        var listening = listeners.Length == 0 ? "Listening: nobody" : $"Listening ({listeners.Length}): " + string.Join(", ", listeners);
        try
        {
            await page.WaitForFunctionAsync(
                "([t, l]) => { const c = document.querySelector('.live-channel'); return c && c.querySelector('.talking').innerText === t && c.querySelector('.listeners').innerText === l; }",
                new[] { talking, listening }, new PageWaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 50 });
        }
        catch (TimeoutException)
        {
            var shown = await page.EvaluateAsync<string>("() => document.querySelector('.live')?.innerText ?? '(no channel panel)'");
            Assert.Fail($"the channel panel did not say \"{talking}\" and \"{listening}\" within {timeoutMs} ms; it says: {shown.ReplaceLineEndings(" | ")}");
        }
    }

    public async Task TalkAsync(bool down)
    {
        if (down)
        {
            await page.Keyboard.DownAsync("Space");
        }
        else
        {
            await page.Keyboard.UpAsync("Space");
        }
    }

    /// <summary>The blocks the page's jitter buffer played other than as received (concealed, silence, shortened), counted by kind.</summary>
    public Task<string> BlocksNotAsReceivedAsync() =>
        page.EvaluateAsync<string>("() => JSON.stringify(walkieTap.blocks.reduce((n, b) => { n[b.kind] = (n[b.kind] || 0) + 1; return n; }, {}))");

    /// <summary>The signal tones the page played since the tap was cleared (talk, busy, cut, click), in order.</summary>
    public Task<string[]> TonesAsync() => page.EvaluateAsync<string[]>("() => walkieTap.tones.map(t => t.kind)");

    /// <summary>Empties the playback tap (what was played so far is forgotten).</summary>
    public Task ClearTapAsync() => page.EvaluateAsync("() => { walkieTap.played.length = 0; walkieTap.captured.length = 0; walkieTap.blocks.length = 0; walkieTap.tones.length = 0; walkieTap.written.length = 0; walkieTap.spoken.length = 0; walkieTap.writtenSamples = 0; }");

    /// <summary>Every sample the page played since the tap was cleared, at the channel's rate, and when each chunk sounded (Unix ms).</summary>
    public async Task<(short[] Samples, List<(double At, int Offset)> Chunks)> PlayedAsync()
    {
        var json = await page.EvaluateAsync<JsonElement>("() => walkieTap.played");
        var samples = new List<short>();
        var chunks = new List<(double, int)>();
        foreach (var chunk in json.EnumerateArray())
        {
            chunks.Add((chunk.GetProperty("t").GetDouble(), samples.Count));
            foreach (var s in chunk.GetProperty("s").EnumerateArray())
            {
                samples.Add(s.GetInt16());
            }
        }

        return (samples.ToArray(), chunks);
    }

    /// <summary>Closes the page and its context (its cookies and storage), so it stops polling a gateway that is gone.</summary>
    public async ValueTask DisposeAsync() => await page.Context.CloseAsync();
}
