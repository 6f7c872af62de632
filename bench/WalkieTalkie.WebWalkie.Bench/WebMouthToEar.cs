using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.WebWalkie.Tests.Support;

namespace WalkieTalkie.WebWalkie.Bench;

/// <summary>
/// Mouth to ear between the web walkie in headless Chromium and a virtual badge, both ways, on one gateway (loopback).
/// Badge to browser: the badge notes when each block entered its microphone; the page's tap says which block it wrote
/// to its speaker at which sample and when each sample sounded (the audio context's output time). Browser to badge:
/// the page's tap says when each block it sent entered its microphone; the badge notes when its speaker sounded it.
/// Only blocks heard as received count (a concealed or silent block has no mouth); those are counted beside.
/// </summary>
public sealed class WebMouthToEar(Chromium chromium, string speechWav, string? listenDepth)
{
    /// <param name="Latencies">Mouth to ear per block heard as received (ms).</param>
    /// <param name="ToSpeaker">Of it, from the mouth to the listener's speaker being handed the block (ms).</param>
    public sealed record Direction(string Name, int Rate, double[] Latencies, double[] ToSpeaker, int NotAsReceived, BrowserCpu.Usage? Cpu);

    // Per block written to the speaker: its kind, burst, frame and block, when it was written and when its first sample sounded (page ms).
    private const string SoundTimes = """
        rate => {
          const played = walkieTap.played;
          const out = [];
          let chunk = 0, before = 0;
          for (const w of walkieTap.written) {
            while (chunk < played.length && before + played[chunk].s.length <= w.start) { before += played[chunk].s.length; chunk++; }
            if (chunk === played.length) { break; }
            out.push({ kind: w.kind, burst: w.burst, sequence: w.sequence, block: w.block, written: w.t, at: played[chunk].t + (w.start - before) * 1000 / rate });
          }
          return out;
        }
        """;

    public async Task<IReadOnlyList<Direction>> RunAsync(int rate, double seconds)
    {
        await using var gateway = WebGateway.Create();
        gateway.AddBadge("kid");
        gateway.AddBadge("dad");
        gateway.WebUsers.Add("mum", "mum-password", "member");
        gateway.AddChannel(1, "family", rate, "kid", "dad", "mum");
        await gateway.StartAsync(NullLoggerFactory.Instance);
        await using var page = new WalkiePage(await chromium.NewPageAsync(_ => { }));
        await page.OpenAsync(listenDepth is null ? gateway.Url : $"{gateway.Url}?listen={listenDepth}");
        await page.SignInLocalAsync("mum", "mum-password");
        await page.WaitForStatusAsync("Ready", 120_000);

        await using var fleet = new VirtualBadgeFleet();
        var kid = fleet.Add(new VirtualBadgeSettings { Id = "kid", Port = gateway.MqttPort, Password = gateway.Secrets["kid"], MicWav = speechWav, Channels = [new VirtualChannel(1, rate)] });
        var dad = fleet.Add(new VirtualBadgeSettings { Id = "dad", Port = gateway.MqttPort, Password = gateway.Secrets["dad"], Channels = [new VirtualChannel(1, rate)] });
        fleet.Start();
        await Expect(fleet.WaitUntilAsync(f => f.Badges.All(b => b.Mode == BadgeMode.Idle), TimeSpan.FromSeconds(30)), "the badges did not connect");
        var cpu = await BrowserCpu.AttachAsync(page.Page, chromium.Browser);

        // Badge to browser, and the page's CPU while it listens.
        var offset = await BrowserClock.OffsetAsync(page.Page);
        var runToUnix = BrowserClock.UnixNow() - fleet.Clock.PreciseMilliseconds;
        await page.ClearTapAsync();
        kid.SetTalk(true);
        await Expect(fleet.WaitUntilAsync(_ => kid.Mode == BadgeMode.Talking, TimeSpan.FromSeconds(10)), "the floor was not granted to the badge");
        await page.WaitForStatusAsync("Receiving", 10_000);
        await cpu.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        kid.SetTalk(false);
        await page.WaitForStatusAsync("Ready", 30_000);
        var listening = await cpu.StopAsync();
        var heard = await page.Page.EvaluateAsync<JsonElement>(SoundTimes, rate);
        var toBrowser = new List<double>();
        var toBrowserSpeaker = new List<double>();
        var notAsReceived = 0;
        foreach (var block in heard.EnumerateArray())
        {
            var kind = block.GetProperty("kind").GetString();
            if (kind is not ("Played" or "Shortened"))
            {
                notAsReceived++;
                continue;
            }

            if (fleet.TryGetSpoken((uint)block.GetProperty("burst").GetDouble(), block.GetProperty("sequence").GetInt32(), block.GetProperty("block").GetInt32(), out var spoken))
            {
                toBrowser.Add(block.GetProperty("at").GetDouble() - offset - (spoken + runToUnix));
                toBrowserSpeaker.Add(block.GetProperty("written").GetDouble() - offset - (spoken + runToUnix));
            }
        }

        // Browser to badge: the page talks (its fake microphone loops the speech), dad listens with the badge's defaults.
        offset = await BrowserClock.OffsetAsync(page.Page);
        runToUnix = BrowserClock.UnixNow() - fleet.Clock.PreciseMilliseconds;
        await page.ClearTapAsync();
        var burstsBefore = dad.Bursts.Count;
        await page.TalkAsync(true);
        await page.WaitForStatusAsync("Talk now", 15_000);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        await page.TalkAsync(false);
        await page.WaitForStatusAsync("Ready", 30_000);
        await Expect(fleet.WaitUntilAsync(_ => dad.Bursts.Count > burstsBefore && dad.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(15)), "dad did not play the page's burst to its end");
        var spokenAt = new Dictionary<(int, int), double>();
        foreach (var block in (await page.Page.EvaluateAsync<JsonElement>("() => walkieTap.spoken.filter(s => Number.isFinite(s.t))")).EnumerateArray())
        {
            spokenAt[(block.GetProperty("sequence").GetInt32(), block.GetProperty("block").GetInt32())] = block.GetProperty("t").GetDouble() - offset;
        }

        var toBadge = new List<double>();
        var toBadgeSpeaker = new List<double>();
        var badgeNotAsReceived = 0;
        foreach (var block in dad.Bursts[^1].Blocks)
        {
            if (block.Result is not (Badge.Audio.PullResult.Played or Badge.Audio.PullResult.Shortened))
            {
                badgeNotAsReceived++;
            }
            else if (spokenAt.TryGetValue((block.Sequence, block.Block), out var spoken))
            {
                toBadge.Add(block.SoundsAtMs + runToUnix - spoken);
                toBadgeSpeaker.Add(block.WrittenAtMs + runToUnix - spoken);
            }
        }

        await fleet.StopAsync();
        return
        [
            new Direction("badge → browser", rate, [.. toBrowser], [.. toBrowserSpeaker], notAsReceived, listening),
            new Direction("browser → badge", rate, [.. toBadge], [.. toBadgeSpeaker], badgeNotAsReceived, null),
        ];
    }

    private static async Task Expect(Task<bool> condition, string failure)
    {
        if (!await condition)
        {
            throw new InvalidOperationException(failure);
        }
    }
}
