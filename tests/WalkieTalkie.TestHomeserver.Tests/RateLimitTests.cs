using System.Net;
using System.Text.Json.Nodes;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Logins_over_the_Synapse_burst_get_429_with_Retry_After()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        hs.RegisterUser("alice", "secret");
        hs.RateLimits.Login = true;
        using var client = new MatrixHttpClient(hs.BaseUrl);
        var login = new JsonObject
        {
            ["type"] = "m.login.password",
            ["identifier"] = new JsonObject { ["type"] = "m.id.user", ["user"] = "alice" },
            ["password"] = "secret",
        };
        for (var i = 0; i < 5; i++)
        {
            await client.OkAsync(HttpMethod.Post, "_matrix/client/v3/login", (JsonObject)login.DeepClone());
        }

        var limited = await client.PostAsync("_matrix/client/v3/login", (JsonObject)login.DeepClone());
        limited.AssertError((HttpStatusCode)429, "M_LIMIT_EXCEEDED");
        // 0.003/s: one more login fits after about 333 s.
        Assert.InRange(limited.Json!["retry_after_ms"]!.GetValue<long>(), 300_000, 340_000);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single()), 300, 340);

        hs.RateLimits.Login = false;
        await client.OkAsync(HttpMethod.Post, "_matrix/client/v3/login", (JsonObject)login.DeepClone());
    }

    [Fact]
    public async Task Room_messages_over_the_Synapse_burst_get_429_and_nothing_is_stored()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var roomId = await alice.CreateRoomAsync(); // room creation takes one rc_message action only when limits are on
        hs.RateLimits.Message = true;
        for (var i = 0; i < 10; i++)
        {
            await alice.SendTextAsync(roomId, $"m{i}");
        }

        var limited = await alice.PutAsync($"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/send/m.room.message/over",
            new JsonObject { ["msgtype"] = "m.text", ["body"] = "over" });
        limited.AssertError((HttpStatusCode)429, "M_LIMIT_EXCEEDED");
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.DoesNotContain(hs.RoomEvents(roomId), e => e["content"]?["body"]?.GetValue<string>() == "over");
    }
}
