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
