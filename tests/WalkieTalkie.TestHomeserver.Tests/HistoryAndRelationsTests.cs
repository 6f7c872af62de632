using System.Net;
using System.Text.Json.Nodes;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

public sealed class HistoryAndRelationsTests
{
    private static async Task SetVisibility(MatrixHttpClient client, string roomId, string visibility) =>
        await client.OkAsync(HttpMethod.Put, $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/m.room.history_visibility",
            new JsonObject { ["history_visibility"] = visibility });

    private static IEnumerable<string> Bodies(JsonArray events) =>
        events.Select(e => e!["content"]?["body"]?.GetValue<string>()).OfType<string>();

    [Theory]
    [InlineData("shared", true)]
    [InlineData("invited", false)]
    [InlineData("joined", false)]
    public async Task A_new_member_sees_history_from_before_its_join_only_when_the_visibility_allows(string visibility, bool seesEarlier)
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (bobUser, _, bob) = NewUser(hs, "bob");
        using var _a = alice;
        using var _b = bob;
        var roomId = await alice.CreateRoomAsync();
        await SetVisibility(alice, roomId, visibility);
        var before = await alice.SendTextAsync(roomId, "before the invite");
        await alice.InviteAsync(roomId, bobUser.UserId);
        await alice.SendTextAsync(roomId, "while invited");
        await bob.JoinAsync(roomId);
        await alice.SendTextAsync(roomId, "after the join");

        var timeline = Timeline(await bob.SyncAsync(cancellationToken: ct), roomId);
        var expected = visibility switch
        {
            "shared" => new[] { "before the invite", "while invited", "after the join" },
            "invited" => ["while invited", "after the join"],
            _ => ["after the join"],
        };
        Assert.Equal(expected, Bodies(timeline));
        var messages = await bob.OkAsync(HttpMethod.Get, $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/messages?dir=b&limit=50");
        Assert.Equal(expected.Reverse(), Bodies((JsonArray)messages["chunk"]!));
        var single = await bob.GetAsync($"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/event/{Uri.EscapeDataString(before)}", ct);
        Assert.Equal(seesEarlier ? HttpStatusCode.OK : HttpStatusCode.NotFound, single.Status);
        // State is never hidden: the new member sees the room's visibility setting itself.
        var state = await bob.OkAsync(HttpMethod.Get, $"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/m.room.history_visibility");
        Assert.Equal(visibility, state["history_visibility"]!.GetValue<string>());
    }

    [Fact]
    public async Task Thread_replies_are_stored_as_given_and_listed_by_relations()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var roomId = await alice.CreateRoomAsync();
        var room = Uri.EscapeDataString(roomId);
        var root = await alice.SendTextAsync(roomId, "burst 1");
        var replies = new List<string>();
        for (var i = 2; i <= 4; i++)
        {
            var content = new JsonObject
            {
                ["msgtype"] = "m.text", ["body"] = $"burst {i}",
                ["m.relates_to"] = new JsonObject
                {
                    ["rel_type"] = "m.thread", ["event_id"] = root, ["is_falling_back"] = true,
                    ["m.in_reply_to"] = new JsonObject { ["event_id"] = replies.LastOrDefault() ?? root },
                },
            };
            var sent = await alice.OkAsync(HttpMethod.Put, $"_matrix/client/v3/rooms/{room}/send/m.room.message/t{i}", content);
            replies.Add(sent["event_id"]!.GetValue<string>());
            var stored = hs.RoomEvents(roomId).Single(e => e["event_id"]!.GetValue<string>() == replies[^1]);
            Assert.True(JsonNode.DeepEquals(content, stored["content"]), stored.ToJsonString());
        }

        var page1 = await alice.OkAsync(HttpMethod.Get, $"_matrix/client/v1/rooms/{room}/relations/{Uri.EscapeDataString(root)}/m.thread?limit=2");
        Assert.Equal(new[] { replies[2], replies[1] }, ((JsonArray)page1["chunk"]!).Select(e => e!["event_id"]!.GetValue<string>()));
        var next = page1["next_batch"]!.GetValue<string>();
        var page2 = await alice.OkAsync(HttpMethod.Get,
            $"_matrix/client/v1/rooms/{room}/relations/{Uri.EscapeDataString(root)}/m.thread?limit=2&from={Uri.EscapeDataString(next)}");
        Assert.Equal(new[] { replies[0] }, ((JsonArray)page2["chunk"]!).Select(e => e!["event_id"]!.GetValue<string>()));
        Assert.Null(page2["next_batch"]);
        var annotations = await alice.OkAsync(HttpMethod.Get, $"_matrix/client/v1/rooms/{room}/relations/{Uri.EscapeDataString(root)}/m.annotation");
        Assert.Empty((JsonArray)annotations["chunk"]!);
    }

    [Fact]
    public async Task A_retried_send_with_the_same_transaction_id_stores_one_event()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var roomId = await alice.CreateRoomAsync();
        var first = await alice.SendTextAsync(roomId, "once", txnId: "txn-1");
        var retry = await alice.SendTextAsync(roomId, "once", txnId: "txn-1");
        var other = await alice.SendTextAsync(roomId, "twice", txnId: "txn-2");
        Assert.Equal(first, retry);
        Assert.NotEqual(first, other);
        Assert.Single(hs.RoomEvents(roomId), e => e["content"]?["body"]?.GetValue<string>() == "once");
    }
}
