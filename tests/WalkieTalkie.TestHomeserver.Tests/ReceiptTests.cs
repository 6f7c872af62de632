using System.Net;
using System.Text.Json.Nodes;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

public sealed class ReceiptTests
{
    private static JsonArray Ephemeral(JsonObject sync, string roomId) =>
        sync["rooms"]?["join"]?[roomId]?["ephemeral"]?["events"] as JsonArray ?? new JsonArray();

    [Fact]
    public async Task A_read_receipt_wakes_the_other_members_sync_once_and_a_private_one_reaches_only_its_sender()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (bobUser, _, bob) = NewUser(hs, "bob");
        using var _a = alice;
        using var _b = bob;
        var roomId = await alice.CreateRoomAsync(new JsonObject { ["invite"] = new JsonArray(bobUser.UserId) });
        await bob.JoinAsync(roomId);
        var eventId = await alice.SendTextAsync(roomId, "heard?");
        var room = Uri.EscapeDataString(roomId);
        var since = Next(await alice.SyncAsync(cancellationToken: ct));

        var poll = alice.SyncAsync(since, timeoutMs: 20000, cancellationToken: ct);
        await bob.OkAsync(HttpMethod.Post, $"_matrix/client/v3/rooms/{room}/receipt/m.read/{Uri.EscapeDataString(eventId)}",
            new JsonObject { ["thread_id"] = "main" });
        var woken = await poll;
        var receipt = Assert.Single(Ephemeral(woken, roomId))!;
        Assert.Equal("m.receipt", receipt["type"]!.GetValue<string>());
        var data = receipt["content"]![eventId]!["m.read"]![bobUser.UserId]!;
        Assert.Equal("main", data["thread_id"]!.GetValue<string>());
        Assert.True(data["ts"]!.GetValue<long>() > 0);
        Assert.Empty(Ephemeral(await alice.SyncAsync(Next(woken), cancellationToken: ct), roomId)); // not repeated

        await bob.OkAsync(HttpMethod.Post, $"_matrix/client/v3/rooms/{room}/receipt/m.read.private/{Uri.EscapeDataString(eventId)}");
        Assert.Empty(Ephemeral(await alice.SyncAsync(Next(woken), cancellationToken: ct), roomId));
        var bobs = Ephemeral(await bob.SyncAsync(cancellationToken: ct), roomId);
        Assert.NotNull(Assert.Single(bobs)!["content"]![eventId]!["m.read.private"]![bobUser.UserId]);

        // Receipts only move forward: one for an older event is accepted and ignored.
        var later = await alice.SendTextAsync(roomId, "later");
        var s1 = Next(await alice.SyncAsync(Next(woken), cancellationToken: ct));
        await bob.OkAsync(HttpMethod.Post, $"_matrix/client/v3/rooms/{room}/receipt/m.read/{Uri.EscapeDataString(later)}");
        var s2sync = await alice.SyncAsync(s1, cancellationToken: ct);
        Assert.NotNull(Assert.Single(Ephemeral(s2sync, roomId))!["content"]![later]);
        await bob.OkAsync(HttpMethod.Post, $"_matrix/client/v3/rooms/{room}/receipt/m.read/{Uri.EscapeDataString(eventId)}");
        Assert.Empty(Ephemeral(await alice.SyncAsync(Next(s2sync), cancellationToken: ct), roomId));

        (await bob.PostAsync($"_matrix/client/v3/rooms/{room}/receipt/m.unknown/{Uri.EscapeDataString(eventId)}"))
            .AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM");
        (await bob.PostAsync($"_matrix/client/v3/rooms/{room}/receipt/m.read/$nosuchevent"))
            .AssertError(HttpStatusCode.NotFound, "M_NOT_FOUND");
        Assert.Empty(hs.ServerErrors);
    }

    [Fact]
    public async Task The_fully_read_marker_becomes_room_account_data()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (user, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var roomId = await alice.CreateRoomAsync();
        var eventId = await alice.SendTextAsync(roomId, "read me");
        await alice.OkAsync(HttpMethod.Post, $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/read_markers",
            new JsonObject { ["m.fully_read"] = eventId, ["m.read"] = eventId });
        var accountData = await alice.OkAsync(HttpMethod.Get,
            $"_matrix/client/v3/user/{Uri.EscapeDataString(user.UserId)}/rooms/{Uri.EscapeDataString(roomId)}/account_data/m.fully_read");
        Assert.Equal(eventId, accountData["event_id"]!.GetValue<string>());
        var sync = await alice.SyncAsync(cancellationToken: ct);
        var roomData = (JsonArray)sync["rooms"]!["join"]![roomId]!["account_data"]!["events"]!;
        Assert.Contains(roomData, e => e!["type"]!.GetValue<string>() == "m.fully_read");
    }
}
