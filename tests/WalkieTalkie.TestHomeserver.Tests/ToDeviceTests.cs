using System.Net;
using System.Text.Json.Nodes;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

public sealed class ToDeviceTests
{
    private static JsonObject Message(string userId, string deviceId, string text) => new()
    {
        ["messages"] = new JsonObject { [userId] = new JsonObject { [deviceId] = new JsonObject { ["text"] = text } } },
    };

    private static List<string> Texts(JsonObject sync) =>
        ((JsonArray)sync["to_device"]!["events"]!).Select(e => e!["content"]!["text"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task A_to_device_message_is_delivered_until_the_next_sync_acknowledges_it_then_never_again()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (bobUser, bobSession, bob) = NewUser(hs, "bob");
        using var _a = alice;
        using var _b = bob;
        var s0 = Next(await bob.SyncAsync(cancellationToken: ct));

        await alice.OkAsync(HttpMethod.Put, "_matrix/client/v3/sendToDevice/org.example.test/t1", Message(bobUser.UserId, bobSession.DeviceId, "one"));
        var first = await bob.SyncAsync(s0, cancellationToken: ct);
        Assert.Equal(["one"], Texts(first));
        var evt = ((JsonArray)first["to_device"]!["events"]!)[0]!;
        Assert.Equal("org.example.test", evt["type"]!.GetValue<string>());
        Assert.Equal("@alice:test.local", evt["sender"]!.GetValue<string>());

        // The response was lost: the client repeats its since token and gets the message again.
        Assert.Equal(["one"], Texts(await bob.SyncAsync(s0, cancellationToken: ct)));
        // The next since token acknowledges it: gone from the server and from every later sync.
        var second = await bob.SyncAsync(Next(first), cancellationToken: ct);
        Assert.Empty(Texts(second));
        Assert.Empty(hs.PendingToDevice(bobUser.UserId, bobSession.DeviceId));
        Assert.Empty(Texts(await bob.SyncAsync(s0, cancellationToken: ct)));
    }

    [Fact]
    public async Task A_retried_transaction_is_delivered_once_and_a_star_reaches_every_device()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (bobUser, bobPhone, bob) = NewUser(hs, "bob");
        var bobLaptop = hs.CreateSession(bobUser.UserId);
        using var _a = alice;
        using var _b = bob;

        await alice.OkAsync(HttpMethod.Put, "_matrix/client/v3/sendToDevice/org.example.test/same", Message(bobUser.UserId, bobPhone.DeviceId, "once"));
        await alice.OkAsync(HttpMethod.Put, "_matrix/client/v3/sendToDevice/org.example.test/same", Message(bobUser.UserId, bobPhone.DeviceId, "once"));
        await alice.OkAsync(HttpMethod.Put, "_matrix/client/v3/sendToDevice/org.example.test/all", Message(bobUser.UserId, "*", "everyone"));

        Assert.Equal(["once", "everyone"], Texts(await bob.SyncAsync(cancellationToken: ct)));
        using var laptop = MatrixHttpClient.For(hs, bobLaptop);
        Assert.Equal(["everyone"], Texts(await laptop.SyncAsync(cancellationToken: ct)));
    }

    [Fact]
    public async Task A_sync_carries_at_most_100_to_device_messages_and_the_rest_follow_in_order_once_each()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (bobUser, bobSession, bob) = NewUser(hs, "bob");
        using var _a = alice;
        using var _b = bob;
        var roomId = await alice.CreateRoomAsync(new JsonObject { ["invite"] = new JsonArray(bobUser.UserId) });
        await bob.JoinAsync(roomId);
        var s0 = Next(await bob.SyncAsync(cancellationToken: ct));
        for (var i = 0; i < 150; i++)
        {
            await alice.OkAsync(HttpMethod.Put, $"_matrix/client/v3/sendToDevice/org.example.test/t{i}", Message(bobUser.UserId, bobSession.DeviceId, $"m{i}"));
        }

        var eventId = await alice.SendTextAsync(roomId, "a room event among them");

        var first = await bob.SyncAsync(s0, timeoutMs: 10000, cancellationToken: ct);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i}"), Texts(first));
        Assert.Single(Timeline(first, roomId), e => e!["event_id"]!.GetValue<string>() == eventId);
        var second = await bob.SyncAsync(Next(first), timeoutMs: 10000, cancellationToken: ct); // returns at once: more are waiting
        Assert.Equal(Enumerable.Range(100, 50).Select(i => $"m{i}"), Texts(second));
        Assert.Empty(Timeline(second, roomId)); // the room event is not repeated
        Assert.Empty(Texts(await bob.SyncAsync(Next(second), cancellationToken: ct)));
        Assert.Empty(hs.PendingToDevice(bobUser.UserId, bobSession.DeviceId));
        // A next_batch that carries a to-device part is still a valid /keys/changes and /messages token.
        await bob.OkAsync(HttpMethod.Get, $"_matrix/client/v3/keys/changes?from={Uri.EscapeDataString(Next(first))}&to={Uri.EscapeDataString(Next(second))}");
    }

    [Fact]
    public async Task A_to_device_message_wakes_a_waiting_sync()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (bobUser, bobSession, bob) = NewUser(hs, "bob");
        using var _a = alice;
        using var _b = bob;
        var since = Next(await bob.SyncAsync(cancellationToken: ct));
        var poll = bob.SyncAsync(since, timeoutMs: 20000, cancellationToken: ct);
        await alice.OkAsync(HttpMethod.Put, "_matrix/client/v3/sendToDevice/org.example.test/w", Message(bobUser.UserId, bobSession.DeviceId, "wake"));
        Assert.Equal(["wake"], Texts(await poll.WaitAsync(TimeSpan.FromSeconds(15), ct)));
    }

    [Fact]
    public async Task Content_over_64_KiB_for_one_device_is_refused_with_M_TOO_LARGE()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (bobUser, bobSession, _) = NewUser(hs, "bob");
        using var _a = alice;
        var response = await alice.PutAsync("_matrix/client/v3/sendToDevice/org.example.test/big",
            Message(bobUser.UserId, bobSession.DeviceId, new string('x', 70_000)));
        response.AssertError(HttpStatusCode.RequestEntityTooLarge, "M_TOO_LARGE");
        Assert.Empty(hs.PendingToDevice(bobUser.UserId, bobSession.DeviceId));
    }
}
