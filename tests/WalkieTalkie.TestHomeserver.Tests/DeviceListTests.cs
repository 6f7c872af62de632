using System.Text.Json.Nodes;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

public sealed class DeviceListTests
{
    private static List<string> Changed(JsonObject sync) => Strings(sync["device_lists"]?["changed"]).ToList();
    private static List<string> Left(JsonObject sync) => Strings(sync["device_lists"]?["left"]).ToList();

    [Fact]
    public async Task Device_list_changes_reach_users_who_share_a_room_and_leaving_is_reported_as_left()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (bobUser, bobSession, bob) = NewUser(hs, "bob");
        var (carolUser, carolSession, carol) = NewUser(hs, "carol");
        using var _a = alice;
        using var _b = bob;
        using var _c = carol;
        var roomId = await alice.CreateRoomAsync(new JsonObject { ["invite"] = new JsonArray(bobUser.UserId) });
        var since = Next(await alice.SyncAsync(cancellationToken: ct));

        // Bob joins: Alice must start tracking him.
        await bob.JoinAsync(roomId);
        var sync = await alice.SyncAsync(since, cancellationToken: ct);
        Assert.Contains(bobUser.UserId, Changed(sync));

        // Bob uploads keys (and Carol, who shares no room with Alice, too): only Bob is reported.
        using var bobKeys = new TestDeviceKeys(bobUser.UserId, bobSession.DeviceId);
        using var carolKeys = new TestDeviceKeys(carolUser.UserId, carolSession.DeviceId);
        await bob.OkAsync(HttpMethod.Post, "_matrix/client/v3/keys/upload", new JsonObject { ["device_keys"] = bobKeys.DeviceKeys() });
        await carol.OkAsync(HttpMethod.Post, "_matrix/client/v3/keys/upload", new JsonObject { ["device_keys"] = carolKeys.DeviceKeys() });
        var afterKeys = await alice.SyncAsync(Next(sync), cancellationToken: ct);
        Assert.Equal([bobUser.UserId], Changed(afterKeys));

        // A new device of Bob's wakes Alice's long-poll.
        var poll = alice.SyncAsync(Next(afterKeys), timeoutMs: 20000, cancellationToken: ct);
        hs.CreateSession(bobUser.UserId);
        var afterDevice = await poll.WaitAsync(TimeSpan.FromSeconds(15), ct);
        Assert.Equal([bobUser.UserId], Changed(afterDevice));

        // Bob leaves the only room they shared: Alice stops tracking him.
        await bob.PostAsync($"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/leave");
        var afterLeave = await alice.SyncAsync(Next(afterDevice), cancellationToken: ct);
        Assert.Equal([bobUser.UserId], Left(afterLeave));
        Assert.DoesNotContain(bobUser.UserId, Changed(afterLeave));

        // /keys/changes tells the same story between the two tokens.
        var changes = await alice.OkAsync(HttpMethod.Get, $"_matrix/client/v3/keys/changes?from={since}&to={Next(afterKeys)}");
        Assert.Equal([bobUser.UserId], Strings(changes["changed"]));
    }

    [Fact]
    public async Task A_user_learns_of_its_own_new_devices()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (user, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var since = Next(await alice.SyncAsync(cancellationToken: ct));
        hs.CreateSession(user.UserId);
        Assert.Equal([user.UserId], Changed(await alice.SyncAsync(since, cancellationToken: ct)));
    }
}
