using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Rooms;
using WalkieTalkie.Matrix.Client.Sync;
using WalkieTalkie.Matrix.Client.Tests.Support;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>Room state as the gateway tracks it from sync (members, encryption, history visibility, power levels),
/// checked against the homeserver's own full state.</summary>
public sealed class RoomStateTests
{
    [Fact]
    public async Task Sync_keeps_members_encryption_history_visibility_and_power_levels_current()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (anna, annaClient) = NewClient(hs, "walkie-anna");
        var (ben, benClient) = NewClient(hs, "ben");
        var (carla, carlaClient) = NewClient(hs, "carla");
        using var _a = annaClient;
        using var _b = benClient;
        using var _c = carlaClient;

        var handler = new RecordingSyncHandler();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = new SyncLoop(annaClient, handler, new SyncLoopOptions { Timeout = TimeSpan.FromSeconds(20) }).RunAsync(null, stop.Token);

        var room = await annaClient.CreateRoomAsync(new JsonObject
        {
            ["name"] = "Family channel",
            ["invite"] = new JsonArray(ben.UserId, carla.UserId),
            ["initial_state"] = new JsonArray(new JsonObject
            {
                ["type"] = "m.room.encryption", ["state_key"] = "",
                ["content"] = new JsonObject { ["algorithm"] = "m.megolm.v1.aes-sha2", ["rotation_period_msgs"] = 100 },
            }),
        }, ct);
        await benClient.JoinRoomAsync(room, cancellationToken: ct);
        await annaClient.SendStateEventAsync(room, "m.room.history_visibility", new JsonObject { ["history_visibility"] = "joined" }, cancellationToken: ct);
        var levels = (await annaClient.GetRoomStateAsync(room, ct)).Single(e => e.Type == "m.room.power_levels").Content;
        levels["users"]![ben.UserId] = 50;
        levels["events"]!["org.matrix.msc4002.permit"] = 50;
        await annaClient.SendStateEventAsync(room, "m.room.power_levels", levels, cancellationToken: ct);

        await WaitUntilAsync(() => handler.Rooms.Get(room)?.PowerLevels.UserLevel(ben.UserId) == 50, "the power levels arrived by sync");
        var state = handler.Rooms.Get(room)!;
        Assert.Equal("join", state.Membership);
        Assert.Equal([ben.UserId, anna.UserId], state.JoinedUserIds);
        Assert.Equal([carla.UserId], state.InvitedUserIds);
        Assert.Equal("Family channel", state.Name);
        Assert.True(state.IsEncrypted);
        Assert.Equal("m.megolm.v1.aes-sha2", state.Encryption!.Algorithm);
        Assert.Equal(100, state.Encryption.RotationPeriodMsgs);
        Assert.Equal("joined", state.HistoryVisibility);
        Assert.Equal(100, state.PowerLevels.UserLevel(anna.UserId));
        Assert.True(state.PowerLevels.MaySendState(ben.UserId, "org.matrix.msc4002.permit"));
        Assert.False(state.PowerLevels.MaySendState(ben.UserId, "m.room.power_levels"));
        Assert.False(state.PowerLevels.MaySendState(carla.UserId, "org.matrix.msc4002.permit"));

        // What sync built is what the server holds.
        var loaded = new RoomStateTracker();
        await loaded.LoadRoomAsync(annaClient, room, ct);
        Assert.Equal(Describe(loaded.Get(room)!), Describe(state));

        // Ben leaves: sync moves him out of the joined members.
        await benClient.LeaveRoomAsync(room, ct);
        await WaitUntilAsync(() => !handler.Rooms.Get(room)!.JoinedUserIds.Contains(ben.UserId), "Ben's leave arrived");
        Assert.Equal("leave", handler.Rooms.Get(room)!.Members.Single(m => m.UserId == ben.UserId).Membership);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task An_invite_is_seen_before_the_join_and_encryption_is_never_switched_off()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (anna, annaClient) = NewClient(hs, "walkie-anna");
        var (_, benClient) = NewClient(hs, "ben");
        using var _a = annaClient;
        using var _b = benClient;

        var handler = new RecordingSyncHandler();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = new SyncLoop(annaClient, handler, new SyncLoopOptions { Timeout = TimeSpan.FromSeconds(20) }).RunAsync(null, stop.Token);

        var room = await benClient.CreateRoomAsync(new JsonObject { ["invite"] = new JsonArray(anna.UserId) }, ct);
        await WaitUntilAsync(() => handler.Rooms.Get(room)?.Membership == "invite", "the invite arrived");

        await annaClient.JoinRoomAsync(room, cancellationToken: ct);
        await benClient.SendStateEventAsync(room, "m.room.encryption", new JsonObject { ["algorithm"] = "m.megolm.v1.aes-sha2" }, cancellationToken: ct);
        await WaitUntilAsync(() => handler.Rooms.Get(room) is { Membership: "join", IsEncrypted: true }, "the join and the encryption arrived");

        // A room admin sends an encryption event without an algorithm: the server takes it, the tracker ignores it.
        var downgrade = await benClient.SendStateEventAsync(room, "m.room.encryption", new JsonObject(), cancellationToken: ct);
        await benClient.SendRoomEventAsync(room, "m.room.message", Text("after the downgrade"), MatrixClient.NewTransactionId(), ct);
        await WaitUntilAsync(() => handler.TimelineBodies(room).Contains("after the downgrade"), "the later message arrived");
        Assert.Contains(hs.RoomEvents(room), e => e["event_id"]!.GetValue<string>() == downgrade);
        Assert.True(handler.Rooms.Get(room)!.IsEncrypted);

        // And a full reload, which holds the downgrade as current state, does not lose it either.
        await handler.Rooms.LoadRoomAsync(annaClient, room, ct);
        Assert.True(handler.Rooms.Get(room)!.IsEncrypted);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public void A_member_is_named_by_display_name_with_the_user_id_when_another_member_shares_it()
    {
        static KeyValuePair<(string, string), ClientEvent> Member(string userId, string membership, string? name)
        {
            var content = new JsonObject { ["membership"] = membership };
            if (name is not null)
            {
                content["displayname"] = name;
            }

            return new(("m.room.member", userId), new ClientEvent("m.room.member", content, userId, "$" + userId, userId));
        }

        var state = new RoomState("!r:test", "join", System.Collections.Immutable.ImmutableDictionary.CreateRange(
        [
            Member("@dad:test", "join", "Dad"),
            Member("@granny:test", "join", "Gran\u001b[2J\r\n"),
            Member("@eve:test", "invite", "Mum"),
            Member("@mum:test", "join", "Mum"),
            Member("@left:test", "leave", "Dad"),
            Member("@anon:test", "join", null),
            Member("@blank:test", "join", " \u0007 "),
        ]));

        Assert.Equal("Dad", state.MemberName("@dad:test")); // the one who left does not count
        Assert.Equal("Gran[2J", state.MemberName("@granny:test"));
        Assert.Equal("Mum (@mum:test)", state.MemberName("@mum:test"));
        Assert.Equal("Mum (@eve:test)", state.MemberName("@eve:test"));
        Assert.Equal("@anon:test", state.MemberName("@anon:test"));
        Assert.Equal("@blank:test", state.MemberName("@blank:test"));
        Assert.Equal("@stranger:test", state.MemberName("@stranger:test"));
    }

    private static string Describe(RoomState state) =>
        string.Join("\n", state.Events.OrderBy(e => e.Key.Type, StringComparer.Ordinal).ThenBy(e => e.Key.StateKey, StringComparer.Ordinal)
            .Select(e => $"{e.Key.Type}|{e.Key.StateKey}|{e.Value.EventId}"));
}
