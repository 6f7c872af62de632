using System.Net;
using System.Text.Json.Nodes;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

public sealed class RoomTests
{
    [Fact]
    public async Task Membership_and_power_levels_are_enforced()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (bobUser, _, bob) = NewUser(hs, "bob");
        using var _a = alice;
        using var _b = bob;
        var roomId = await alice.CreateRoomAsync(new JsonObject
        {
            ["initial_state"] = new JsonArray(new JsonObject
            {
                ["type"] = "m.room.encryption", ["state_key"] = "",
                ["content"] = new JsonObject { ["algorithm"] = "m.megolm.v1.aes-sha2" },
            }),
        });
        var room = Uri.EscapeDataString(roomId);

        (await bob.PostAsync($"_matrix/client/v3/join/{room}")).AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");
        (await bob.PutAsync($"_matrix/client/v3/rooms/{room}/send/m.room.message/t1", new JsonObject { ["body"] = "x" }))
            .AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");

        await alice.InviteAsync(roomId, bobUser.UserId);
        await bob.JoinAsync(roomId);
        await bob.SendTextAsync(roomId, "hi");
        (await bob.PutAsync($"_matrix/client/v3/rooms/{room}/state/m.room.name", new JsonObject { ["name"] = "mine" }))
            .AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");
        await alice.OkAsync(HttpMethod.Put, $"_matrix/client/v3/rooms/{room}/state/m.room.name", new JsonObject { ["name"] = "walkie" });

        var encryption = await bob.OkAsync(HttpMethod.Get, $"_matrix/client/v3/rooms/{room}/state/m.room.encryption/");
        Assert.Equal("m.megolm.v1.aes-sha2", encryption["algorithm"]!.GetValue<string>());
        var joined = await bob.OkAsync(HttpMethod.Get, $"_matrix/client/v3/rooms/{room}/joined_members");
        Assert.Equal(2, ((JsonObject)joined["joined"]!).Count);
        var members = await bob.OkAsync(HttpMethod.Get, $"_matrix/client/v3/rooms/{room}/members?membership=join");
        Assert.Equal(2, ((JsonArray)members["chunk"]!).Count);
        Assert.Contains(hs.RoomEvents(roomId), e => e["type"]!.GetValue<string>() == "m.room.name" && e["sender"]!.GetValue<string>() == "@alice:test.local");
    }

    [Fact]
    public async Task A_registered_account_is_named_by_its_localpart_and_a_new_display_name_reaches_its_rooms_as_on_Synapse()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        using var anonymous = new MatrixHttpClient(hs.BaseUrl);
        var registered = await anonymous.OkAsync(HttpMethod.Post, "_matrix/client/v3/register", new JsonObject
        {
            ["username"] = "dad", ["password"] = "dad-pw", ["auth"] = new JsonObject { ["type"] = "m.login.dummy" },
        });
        using var dad = new MatrixHttpClient(hs.BaseUrl) { AccessToken = registered["access_token"]!.GetValue<string>() };
        Assert.Equal("dad", (await dad.OkAsync(HttpMethod.Get, "_matrix/client/v3/profile/@dad:test.local/displayname"))["displayname"]!.GetValue<string>());

        var roomId = await dad.CreateRoomAsync();
        var room = Uri.EscapeDataString(roomId);
        var member = $"_matrix/client/v3/rooms/{room}/state/m.room.member/{Uri.EscapeDataString("@dad:test.local")}";
        Assert.Equal("dad", (await dad.OkAsync(HttpMethod.Get, member))["displayname"]!.GetValue<string>());

        await dad.OkAsync(HttpMethod.Put, "_matrix/client/v3/profile/@dad:test.local/displayname", new JsonObject { ["displayname"] = "Dad" });
        var renamed = await dad.OkAsync(HttpMethod.Get, member);
        Assert.Equal(("Dad", "join"), (renamed["displayname"]!.GetValue<string>(), renamed["membership"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_state_key_with_slashes_sent_as_percent_2F_is_stored_and_read_with_its_slashes()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var roomId = await alice.CreateRoomAsync();
        var room = Uri.EscapeDataString(roomId);
        // MSC4002's per-device key, escaped as clients do (EscapeDataString and js-sdk both turn '/' into %2F).
        const string stateKey = "device/@alice:test.local/PHONE";
        var path = $"_matrix/client/v3/rooms/{room}/state/org.matrix.msc4002.accept/{Uri.EscapeDataString(stateKey)}";
        Assert.Contains("%2F", path, StringComparison.Ordinal);
        await alice.OkAsync(HttpMethod.Put, path, new JsonObject { ["receive"] = true });

        Assert.True((await alice.OkAsync(HttpMethod.Get, path))["receive"]!.GetValue<bool>());
        Assert.Contains(hs.RoomEvents(roomId), e => e["state_key"]?.GetValue<string>() == stateKey);
    }

    [Fact]
    public async Task Custom_state_needs_the_state_level_and_power_levels_change_only_within_the_senders_own_level()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (aliceUser, _, alice) = NewUser(hs, "alice");
        var (bobUser, _, bob) = NewUser(hs, "bob");
        var (carolUser, _, carol) = NewUser(hs, "carol");
        using var _a = alice;
        using var _b = bob;
        using var _c = carol;
        var roomId = await alice.CreateRoomAsync(new JsonObject { ["invite"] = new JsonArray(bobUser.UserId, carolUser.UserId) });
        await bob.JoinAsync(roomId);
        await carol.JoinAsync(roomId);
        var room = Uri.EscapeDataString(roomId);
        var permit = $"_matrix/client/v3/rooms/{room}/state/org.matrix.msc4002.permit/{Uri.EscapeDataString(bobUser.UserId)}";
        var levelsPath = $"_matrix/client/v3/rooms/{room}/state/m.room.power_levels";

        (await bob.PutAsync(permit, new JsonObject { ["listen"] = true })).AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");
        await alice.OkAsync(HttpMethod.Put, permit, new JsonObject { ["listen"] = true });

        JsonObject With(JsonObject levels, string userId, long level)
        {
            var copy = (JsonObject)levels.DeepClone();
            copy["users"]![userId] = level;
            return copy;
        }
        var levels = await alice.OkAsync(HttpMethod.Get, levelsPath);
        await alice.OkAsync(HttpMethod.Put, levelsPath, With(levels, bobUser.UserId, 100)); // Bob now has the power level event's level
        levels = await alice.OkAsync(HttpMethod.Get, levelsPath);
        await bob.OkAsync(HttpMethod.Put, permit, new JsonObject { ["listen"] = false });

        // Bob (100) may not demote Alice (100), but may raise Carol up to his own level and demote himself.
        (await bob.PutAsync(levelsPath, With(levels, aliceUser.UserId, 0))).AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");
        await bob.OkAsync(HttpMethod.Put, levelsPath, With(levels, carolUser.UserId, 50));
        levels = await alice.OkAsync(HttpMethod.Get, levelsPath);
        await bob.OkAsync(HttpMethod.Put, levelsPath, With(levels, bobUser.UserId, 50));
        levels = await alice.OkAsync(HttpMethod.Get, levelsPath);
        // At 50 he can no longer touch the power levels event (it needs 100).
        (await bob.PutAsync(levelsPath, With(levels, carolUser.UserId, 0))).AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");

        var bad = (JsonObject)levels.DeepClone();
        bad["state_default"] = "fifty";
        (await alice.PutAsync(levelsPath, bad)).AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON");
        bad["state_default"] = "50"; // room versions 10 and 11 take no numeric strings
        (await alice.PutAsync(levelsPath, bad)).AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON");
        Assert.Empty(hs.ServerErrors);
    }

    [Fact]
    public async Task Kick_ban_and_unban_need_the_level_and_a_higher_level_than_the_target()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (aliceUser, _, alice) = NewUser(hs, "alice");
        var (bobUser, _, bob) = NewUser(hs, "bob");
        using var _a = alice;
        using var _b = bob;
        var roomId = await alice.CreateRoomAsync(new JsonObject { ["invite"] = new JsonArray(bobUser.UserId) });
        await bob.JoinAsync(roomId);
        var room = Uri.EscapeDataString(roomId);
        var bobSince = Next(await bob.SyncAsync(cancellationToken: ct));

        (await bob.PostAsync($"_matrix/client/v3/rooms/{room}/kick", new JsonObject { ["user_id"] = aliceUser.UserId }))
            .AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");
        await alice.OkAsync(HttpMethod.Post, $"_matrix/client/v3/rooms/{room}/kick", new JsonObject { ["user_id"] = bobUser.UserId, ["reason"] = "bye" });
        var kicked = await bob.SyncAsync(bobSince, cancellationToken: ct);
        Assert.NotNull(kicked["rooms"]!["leave"]![roomId]);
        (await bob.PutAsync($"_matrix/client/v3/rooms/{room}/send/m.room.message/x", new JsonObject { ["body"] = "x" }))
            .AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");

        await alice.OkAsync(HttpMethod.Post, $"_matrix/client/v3/rooms/{room}/ban", new JsonObject { ["user_id"] = bobUser.UserId });
        (await alice.PostAsync($"_matrix/client/v3/rooms/{room}/invite", new JsonObject { ["user_id"] = bobUser.UserId }))
            .AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");
        (await bob.PostAsync($"_matrix/client/v3/join/{room}")).AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN");
        await alice.OkAsync(HttpMethod.Post, $"_matrix/client/v3/rooms/{room}/unban", new JsonObject { ["user_id"] = bobUser.UserId });
        await alice.InviteAsync(roomId, bobUser.UserId);
        await bob.JoinAsync(roomId);
        Assert.Equal("join", (await bob.OkAsync(HttpMethod.Get,
            $"_matrix/client/v3/rooms/{room}/state/m.room.member/{Uri.EscapeDataString(bobUser.UserId)}"))["membership"]!.GetValue<string>());
        Assert.Empty(hs.ServerErrors);
    }

    [Fact]
    public async Task Events_over_64_KiB_are_refused()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var roomId = await alice.CreateRoomAsync();
        (await alice.PutAsync($"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/send/m.room.message/big",
            new JsonObject { ["body"] = new string('x', 70_000) })).AssertError(HttpStatusCode.RequestEntityTooLarge, "M_TOO_LARGE");
    }
}
