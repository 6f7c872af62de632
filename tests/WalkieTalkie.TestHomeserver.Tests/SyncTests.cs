using System.Text.Json.Nodes;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

public sealed class SyncTests
{
    [Fact]
    public async Task An_incremental_sync_is_held_until_an_event_arrives_and_then_carries_it()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var roomId = await alice.CreateRoomAsync();
        var since = Next(await alice.SyncAsync(cancellationToken: ct));

        var poll = alice.SyncAsync(since, timeoutMs: 20000, cancellationToken: ct);
        await Task.Delay(300, ct);
        Assert.False(poll.IsCompleted, "the long-poll answered although nothing happened");

        var eventId = await alice.SendTextAsync(roomId, "hello");
        var sync = await poll.WaitAsync(TimeSpan.FromSeconds(15), ct);
        var timeline = Timeline(sync, roomId);
        Assert.Equal(eventId, Assert.Single(timeline)!["event_id"]!.GetValue<string>());
        Assert.NotEqual(since, Next(sync));
    }

    [Fact]
    public async Task With_a_sync_lag_a_new_event_is_answered_late_together_with_what_came_during_the_lag()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var roomId = await alice.CreateRoomAsync();
        var since = Next(await alice.SyncAsync(cancellationToken: ct));
        hs.SyncLag = TimeSpan.FromSeconds(1);

        var poll = alice.SyncAsync(since, timeoutMs: 20000, cancellationToken: ct);
        var first = await alice.SendTextAsync(roomId, "one");
        await Task.Delay(300, ct);
        Assert.False(poll.IsCompleted, "the long-poll answered before the lag had passed");
        var second = await alice.SendTextAsync(roomId, "two");

        var timeline = Timeline(await poll.WaitAsync(TimeSpan.FromSeconds(15), ct), roomId);
        Assert.Equal([first, second], timeline.Select(e => e!["event_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_sync_with_nothing_new_answers_empty_when_its_timeout_passes()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        await alice.CreateRoomAsync();
        var since = Next(await alice.SyncAsync(cancellationToken: ct));

        var sync = await alice.SyncAsync(since, timeoutMs: 500, cancellationToken: ct);
        Assert.Empty((JsonObject)sync["rooms"]!["join"]!);
        Assert.Empty((JsonArray)sync["to_device"]!["events"]!);
        // The token it hands out resumes from the same place: nothing is lost or repeated.
        var again = await alice.SyncAsync(Next(sync), timeoutMs: 0, cancellationToken: ct);
        Assert.Empty((JsonObject)again["rooms"]!["join"]!);
    }

    [Fact]
    public async Task The_initial_sync_holds_state_and_the_latest_timeline_limited_by_the_filter()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (user, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var roomId = await alice.CreateRoomAsync(new JsonObject { ["name"] = "walkie" });
        var sent = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            sent.Add(await alice.SendTextAsync(roomId, $"m{i}"));
        }

        var filter = await alice.OkAsync(HttpMethod.Post, $"_matrix/client/v3/user/{Uri.EscapeDataString(user.UserId)}/filter",
            new JsonObject { ["room"] = new JsonObject { ["timeline"] = new JsonObject { ["limit"] = 3 } } });
        var sync = await alice.SyncAsync(filter: filter["filter_id"]!.GetValue<string>(), cancellationToken: ct);

        var room = sync["rooms"]!["join"]![roomId]!;
        Assert.True(room["timeline"]!["limited"]!.GetValue<bool>());
        Assert.Equal(sent[^3..], Timeline(sync, roomId).Select(e => e!["event_id"]!.GetValue<string>()));
        var state = ((JsonArray)room["state"]!["events"]!).Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Contains("m.room.create", state);
        Assert.Contains("m.room.name", state);
        Assert.Contains("m.room.member", state);

        // Paginating back from prev_batch gives the messages the timeline left out, newest first.
        var prevBatch = room["timeline"]!["prev_batch"]!.GetValue<string>();
        var page = await alice.OkAsync(HttpMethod.Get,
            $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/messages?dir=b&limit=5&from={prevBatch}");
        Assert.Equal(sent[..5].AsEnumerable().Reverse(), ((JsonArray)page["chunk"]!).Select(e => e!["event_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_filter_on_rooms_and_event_types_holds_the_long_poll_until_a_matching_event_and_keeps_the_rest_out()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var roomId = await alice.CreateRoomAsync();
        var otherRoomId = await alice.CreateRoomAsync();
        var floor = new JsonObject { ["gateway_id"] = "gw-a" };
        var path = $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/org.matrix.msc4002.floor";
        var first = (await alice.OkAsync(HttpMethod.Put, path, floor))["event_id"]!.GetValue<string>();
        await alice.SendTextAsync(roomId, "not a floor event");
        var filter = new JsonObject
        {
            ["room"] = new JsonObject
            {
                ["rooms"] = new JsonArray(roomId),
                ["timeline"] = new JsonObject { ["types"] = new JsonArray("org.matrix.msc4*.floor", "org.matrix.msc4002.*"), ["not_types"] = new JsonArray("m.*") },
                ["state"] = new JsonObject { ["types"] = new JsonArray("org.matrix.msc4002.floor") },
            },
        }.ToJsonString();

        var initial = await alice.SyncAsync(filter: filter, cancellationToken: ct);
        Assert.False(((JsonObject)initial["rooms"]!["join"]!).ContainsKey(otherRoomId));
        Assert.Equal([first], Timeline(initial, roomId).Select(e => e!["event_id"]!.GetValue<string>()));
        Assert.Empty((JsonArray)initial["rooms"]!["join"]![roomId]!["state"]!["events"]!);

        var poll = alice.SyncAsync(Next(initial), timeoutMs: 20000, filter: filter, cancellationToken: ct);
        await alice.SendTextAsync(roomId, "still not one");
        await alice.SendTextAsync(otherRoomId, "another room");
        await Task.Delay(300, ct);
        Assert.False(poll.IsCompleted, "the long-poll answered for events its filter leaves out");

        var release = (await alice.OkAsync(HttpMethod.Put, path + "/", new JsonObject { ["gateway_id"] = "gw-a", ["released_ts"] = 1 }))["event_id"]!.GetValue<string>();
        var sync = await poll.WaitAsync(TimeSpan.FromSeconds(15), ct);
        var released = Assert.Single(Timeline(sync, roomId))!;
        Assert.Equal(release, released["event_id"]!.GetValue<string>());
        Assert.Equal("", released["state_key"]!.GetValue<string>());
        Assert.True(released["origin_server_ts"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Only_the_sending_device_sees_the_transaction_id_of_its_event()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (user, session, phone) = NewUser(hs, "alice");
        using var _p = phone;
        using var laptop = MatrixHttpClient.For(hs, hs.CreateSession(user.UserId));
        var roomId = await phone.CreateRoomAsync();
        await phone.SendTextAsync(roomId, "hi", txnId: "txn-1");

        var fromPhone = Timeline(await phone.SyncAsync(cancellationToken: ct), roomId).Last()!;
        var fromLaptop = Timeline(await laptop.SyncAsync(cancellationToken: ct), roomId).Last()!;
        Assert.Equal("txn-1", fromPhone["unsigned"]!["transaction_id"]!.GetValue<string>());
        Assert.Null(fromLaptop["unsigned"]!["transaction_id"]);

        // A retried send with the same transaction id is the same event, not a second one.
        var first = await phone.SendTextAsync(roomId, "once", txnId: "txn-2");
        var retry = await phone.SendTextAsync(roomId, "once", txnId: "txn-2");
        Assert.Equal(first, retry);
        Assert.Single(hs.RoomEvents(roomId), e => e["content"]?["body"]?.GetValue<string>() == "once");
    }

    [Fact]
    public async Task An_invite_shows_in_sync_with_stripped_state_and_a_join_then_brings_the_whole_room()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (bobUser, _, bob) = NewUser(hs, "bob");
        using var _a = alice;
        using var _b = bob;
        var roomId = await alice.CreateRoomAsync(new JsonObject { ["name"] = "walkie", ["invite"] = new JsonArray(bobUser.UserId) });
        await alice.SendTextAsync(roomId, "before bob");

        var sync = await bob.SyncAsync(cancellationToken: ct);
        var inviteState = (JsonArray)sync["rooms"]!["invite"]![roomId]!["invite_state"]!["events"]!;
        Assert.Contains(inviteState, e => e!["type"]!.GetValue<string>() == "m.room.name");
        Assert.Contains(inviteState, e => e!["type"]!.GetValue<string>() == "m.room.member"
                                          && e["state_key"]!.GetValue<string>() == bobUser.UserId);
        Assert.Null(sync["rooms"]!["join"]![roomId]);

        await bob.JoinAsync(roomId);
        var joined = await bob.SyncAsync(Next(sync), cancellationToken: ct);
        Assert.Contains(Timeline(joined, roomId), e => e!["content"]?["body"]?.GetValue<string>() == "before bob");
    }
}
