using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Web;

/// <summary>
/// The console's watching API on a running gateway, as HTTP requests: the live overview pushes a badge's battery and
/// signal and each new floor holder; recordings play as a WAV sox reads and an admin deletes one; the floor log
/// filters; a member sees only its own channels and deletes nothing, whatever it asks for.
/// </summary>
public class ConsoleWatchApiTests
{
    private static async Task<TestGateway> StartAsync()
    {
        var g = TestGateway.Create();
        g.Http = new HttpOptions { BindAddress = "127.0.0.1", Port = FreePort.Next(), TlsPort = 0 };
        g.AddBadge("kid");
        g.AddBadge("dad");
        g.AddBadge("boss");
        g.WebUsers.Add("lead", "lead-password", "admin");
        g.WebUsers.Add("mum", "mum-password", "member");
        g.AddChannel(1, 8000, "kid", "dad", "mum");
        g.AddChannel(2, 8000, "boss");
        return await g.StartAsync();
    }

    private static async Task<TestWebClient> SignInAsync(TestGateway g, string name)
    {
        var client = new TestWebClient(g.HttpPort);
        Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync(name, name + "-password")).StatusCode);
        return client;
    }

    private static async Task<uint> TalkAsync(TestBadge badge, byte channel, int frames)
    {
        var grant = Assert.IsType<FloorGranted>(await badge.RequestFloorAsync(channel));
        await badge.TalkAsync(grant, frames);
        return grant.BurstId;
    }

    private static async Task WaitRecordedAsync(TestGateway g, uint burstId) =>
        Assert.True(await Eventually.TrueAsync(() => new SqliteRecordingIndex(g.Database).Get(burstId) is { Complete: true }));

    private static bool HasBadge(JsonObject data, string id, Func<JsonObject, bool> match) =>
        data["badges"]!.AsArray().Any(b => b!["id"]!.GetValue<string>() == id && match(b.AsObject()));

    private static bool HasHolder(JsonObject data, byte channel, string? holder) =>
        data["channels"]!.AsArray().Any(c => c!["number"]!.GetValue<int>() == channel && c["holder"]?.GetValue<string>() == holder);

    [Fact]
    public async Task The_live_stream_shows_a_badge_coming_online_with_battery_and_signal_and_each_floor_holder_as_it_changes()
    {
        await using var g = await StartAsync();
        await using var lead = await SignInAsync(g, "lead");
        await using var stream = await ConsoleStream.OpenAsync(lead.Http);
        var (kind, first) = await stream.WaitForAsync(_ => true);
        Assert.Equal("snapshot", kind);
        Assert.True(HasBadge(first, "kid", b => b["state"]!.GetValue<string>() == "offline"));

        var kid = await g.ConnectAsync("kid", announce: false);
        await kid.SendAsync(new BadgeState { Status = BadgeStatus.Idle, Channel = 1, BatteryPercent = 73, Rssi = -61, Firmware = "1.4.2" });
        var online = await stream.WaitForAsync(d => HasBadge(d, "kid", b => b["battery"]!.GetValue<int>() == 73), timeoutMs: 2000);
        Assert.Equal("update", online.Kind);
        var view = online.Data["badges"]!.AsArray().Single(b => b!["id"]!.GetValue<string>() == "kid")!;
        Assert.Equal(-61, view["rssi"]!.GetValue<int>());
        Assert.Equal("1.4.2", view["firmware"]!.GetValue<string>());
        Assert.Equal("idle", view["state"]!.GetValue<string>());
        Assert.Equal([1], view["channels"]!.AsArray().Select(c => c!.GetValue<int>()));

        // The battery falls: the trend says so.
        await kid.SendAsync(new BadgeState { Status = BadgeStatus.Idle, Channel = 1, BatteryPercent = 70, Rssi = -61, Firmware = "1.4.2" });
        await stream.WaitForAsync(d => HasBadge(d, "kid", b => b["battery"]!.GetValue<int>() == 70 && b["batteryTrend"]!.GetValue<string>() == "falling"));

        // Two badges talk in turn: the holder changes, and is cleared in between.
        var dad = await g.ConnectAsync("dad");
        var kids = Assert.IsType<FloorGranted>(await kid.RequestFloorAsync(1));
        await stream.WaitForAsync(d => HasHolder(d, 1, "Kid") && HasBadge(d, "kid", b => b["state"]!.GetValue<string>() == "talking"), timeoutMs: 2000);
        await kid.TalkAsync(kids, 3);
        await stream.WaitForAsync(d => HasHolder(d, 1, null), timeoutMs: 2000);
        var dads = Assert.IsType<FloorGranted>(await dad.RequestFloorAsync(1));
        await stream.WaitForAsync(d => HasHolder(d, 1, "Dad"), timeoutMs: 2000);
        await dad.TalkAsync(dads, 3);
        await stream.WaitForAsync(d => HasHolder(d, 1, null), timeoutMs: 2000);
    }

    [Fact]
    public async Task A_recording_plays_as_a_wav_that_sox_reads_with_its_waveform_and_an_admin_deletes_it()
    {
        await using var g = await StartAsync();
        var kid = await g.ConnectAsync("kid");
        var burst = await TalkAsync(kid, 1, 10);
        await WaitRecordedAsync(g, burst);
        await using var lead = await SignInAsync(g, "lead");

        var day = await lead.Http.GetFromJsonAsync<JsonObject>("console/v1/recordings?channel=1");
        var row = day!["recordings"]!.AsArray().Single()!;
        Assert.Equal(burst, row["burstId"]!.GetValue<uint>());
        Assert.Equal("Kid", row["talker"]!.GetValue<string>());
        Assert.True(row["complete"]!.GetValue<bool>());
        Assert.InRange(row["durationMs"]!.GetValue<long>(), 390, 410);
        Assert.Equal(30, day["channels"]!.AsArray().Single(c => c!["number"]!.GetValue<int>() == 1)!["retentionDays"]!.GetValue<int>());

        using var audio = await lead.Http.GetAsync($"console/v1/recordings/{burst}/audio.wav");
        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        Assert.Equal("audio/wav", audio.Content.Headers.ContentType!.MediaType);
        var wav = Path.Combine(Path.GetTempPath(), $"console-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(wav, await audio.Content.ReadAsByteArrayAsync());
        var (rate, samples) = Sox.Decode(wav);
        File.Delete(wav);
        Assert.Equal(8000, rate);
        Assert.Equal(10 * 321, samples);

        var waveform = await lead.Http.GetFromJsonAsync<JsonObject>($"console/v1/recordings/{burst}/waveform");
        Assert.Equal(100, waveform!["points"]!.AsArray().Count);
        Assert.Contains(waveform["points"]!.AsArray(), p => p!.GetValue<int>() > 0);

        // Deleting needs the antiforgery token; then the recording is gone from the day and its audio.
        using var unprotected = await lead.Http.DeleteAsync($"console/v1/recordings/{burst}");
        Assert.Equal(HttpStatusCode.BadRequest, unprotected.StatusCode);
        var delete = new HttpRequestMessage(HttpMethod.Delete, $"console/v1/recordings/{burst}");
        delete.Headers.Add("X-Walkie-Antiforgery", await lead.AntiforgeryAsync());
        using var deleted = await lead.Http.SendAsync(delete);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lead.Http.GetAsync($"console/v1/recordings/{burst}/audio.wav")).StatusCode);
        Assert.Empty((await lead.Http.GetFromJsonAsync<JsonObject>("console/v1/recordings?channel=1"))!["recordings"]!.AsArray());
    }

    [Fact]
    public async Task A_member_sees_only_its_channels_and_deletes_nothing_whatever_it_asks()
    {
        await using var g = await StartAsync();
        var kid = await g.ConnectAsync("kid");
        var boss = await g.ConnectAsync("boss");
        var ours = await TalkAsync(kid, 1, 4);
        var theirs = await TalkAsync(boss, 2, 4);
        await WaitRecordedAsync(g, ours);
        await WaitRecordedAsync(g, theirs);
        await using var mum = await SignInAsync(g, "mum");

        var overview = await mum.Http.GetFromJsonAsync<JsonObject>("console/v1/overview");
        Assert.Equal([1], overview!["channels"]!.AsArray().Select(c => c!["number"]!.GetValue<int>()));
        Assert.DoesNotContain(overview["badges"]!.AsArray(), b => b!["id"]!.GetValue<string>() == "boss");
        Assert.Contains(overview["badges"]!.AsArray(), b => b!["id"]!.GetValue<string>() == "kid");

        var day = await mum.Http.GetFromJsonAsync<JsonObject>("console/v1/recordings");
        Assert.Equal([ours], day!["recordings"]!.AsArray().Select(r => r!["burstId"]!.GetValue<uint>()));
        Assert.Equal(HttpStatusCode.Forbidden, (await mum.Http.GetAsync("console/v1/recordings?channel=2")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mum.Http.GetAsync($"console/v1/recordings/{theirs}/audio.wav")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mum.Http.GetAsync($"console/v1/recordings/{theirs}/waveform")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await mum.Http.GetAsync($"console/v1/recordings/{ours}/audio.wav")).StatusCode);

        foreach (var burst in new[] { ours, theirs })
        {
            var delete = new HttpRequestMessage(HttpMethod.Delete, $"console/v1/recordings/{burst}");
            delete.Headers.Add("X-Walkie-Antiforgery", await mum.AntiforgeryAsync());
            Assert.Equal(HttpStatusCode.Forbidden, (await mum.Http.SendAsync(delete)).StatusCode);
        }

        Assert.NotNull(new SqliteRecordingIndex(g.Database).Between(0, long.MaxValue, null).SingleOrDefault(r => r.BurstId == ours));
        Assert.Equal(HttpStatusCode.Forbidden, (await mum.Http.GetAsync("console/v1/floor?channel=2")).StatusCode);
        var floor = await mum.Http.GetFromJsonAsync<JsonObject>("console/v1/floor");
        Assert.NotEmpty(floor!["decisions"]!.AsArray());
        Assert.All(floor["decisions"]!.AsArray(), d => Assert.Equal(1, d!["channel"]!.GetValue<int>()));

        // The live stream holds the same: channel 2's floor never reaches the member.
        await using var stream = await ConsoleStream.OpenAsync(mum.Http);
        var (_, snapshot) = await stream.WaitForAsync(_ => true);
        Assert.DoesNotContain(snapshot["channels"]!.AsArray(), c => c!["number"]!.GetValue<int>() == 2);
        var grant = Assert.IsType<FloorGranted>(await boss.RequestFloorAsync(2));
        await boss.TalkAsync(grant, 2);
        var kids = Assert.IsType<FloorGranted>(await kid.RequestFloorAsync(1));
        var seen = await stream.WaitForAsync(d => HasHolder(d, 1, "Kid"));
        Assert.DoesNotContain(seen.Data["channels"]!.AsArray(), c => c!["number"]!.GetValue<int>() == 2);
        await kid.TalkAsync(kids, 2);

        // And nobody signed in sees anything.
        using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{g.HttpPort}/") };
        foreach (var path in new[] { "console/v1/overview", "console/v1/live", "console/v1/recordings", $"console/v1/recordings/{ours}/audio.wav", "console/v1/floor" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task The_floor_log_filters_by_channel_badge_kind_and_time_pages_and_refuses_bad_input_clearly()
    {
        await using var g = await StartAsync();
        var kid = await g.ConnectAsync("kid");
        var dad = await g.ConnectAsync("dad");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var kids = Assert.IsType<FloorGranted>(await kid.RequestFloorAsync(1));
        Assert.Equal(DenyReason.Busy, Assert.IsType<FloorDenied>(await dad.RequestFloorAsync(1)).Reason);
        await kid.TalkAsync(kids, 2);
        await WaitRecordedAsync(g, kids.BurstId);
        await using var lead = await SignInAsync(g, "lead");

        async Task<JsonArray> LogAsync(string query)
        {
            JsonArray? found = null;
            // Decisions reach the store through the storage worker.
            await Eventually.TrueAsync(() =>
            {
                found = lead.Http.GetFromJsonAsync<JsonObject>("console/v1/floor?" + query).GetAwaiter().GetResult()!["decisions"]!.AsArray();
                return found.Count > 0;
            });
            return found!;
        }

        var denials = await LogAsync("kind=denial");
        Assert.Equal("Dad", Assert.Single(denials)!["badge"]!.GetValue<string>());
        Assert.Equal("Busy", denials[0]!["reason"]!.GetValue<string>());
        Assert.All(await LogAsync("badge=Kid"), d => Assert.Equal("kid", d!["badgeId"]!.GetValue<string>()));
        Assert.Equal(["release", "grant"], (await LogAsync("badge=kid&channel=1")).Select(d => d!["kind"]!.GetValue<string>()));
        Assert.Equal(3, (await LogAsync($"from={before}&to={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000}")).Count);
        Assert.Empty((await lead.Http.GetFromJsonAsync<JsonObject>($"console/v1/floor?to={before - 60_000}"))!["decisions"]!.AsArray());
        var second = await lead.Http.GetFromJsonAsync<JsonObject>("console/v1/floor?page=1");
        Assert.Empty(second!["decisions"]!.AsArray());
        Assert.False(second["more"]!.GetValue<bool>());

        foreach (var bad in new[] { "channel=300", "kind=shouting", "kind=2", "from=yesterday", "page=-1", "page=99999" })
        {
            using var response = await lead.Http.GetAsync("console/v1/floor?" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.False(string.IsNullOrEmpty((await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>()));
        }

        foreach (var bad in new[] { "day=05-12-2026", "offset=9999", "channel=x" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await lead.Http.GetAsync("console/v1/recordings?" + bad)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await lead.Http.GetAsync("console/v1/recordings/banana/audio.wav")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lead.Http.GetAsync("console/v1/recordings/4000000000/audio.wav")).StatusCode);
    }
}
