using System.Net;
using System.Text.Json.Nodes;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

public sealed class KeysTests
{
    private const string Upload = "_matrix/client/v3/keys/upload";
    private const string Claim = "_matrix/client/v3/keys/claim";
    private const string Query = "_matrix/client/v3/keys/query";

    private static JsonObject ClaimBody(string userId, string deviceId) => new()
    {
        ["one_time_keys"] = new JsonObject { [userId] = new JsonObject { [deviceId] = "signed_curve25519" } },
    };

    [Fact]
    public async Task Claiming_takes_one_time_keys_oldest_first_then_the_fallback_key_which_stays()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        var (bobUser, bobSession, bob) = NewUser(hs, "bob");
        using var _a = alice;
        using var _b = bob;
        using var keys = new TestDeviceKeys(bobUser.UserId, bobSession.DeviceId);

        var uploaded = await bob.OkAsync(HttpMethod.Post, Upload, new JsonObject
        {
            ["device_keys"] = keys.DeviceKeys(),
            ["one_time_keys"] = new JsonObject
            {
                ["signed_curve25519:AAAAAQ"] = keys.OneTimeKey("otk1"),
                ["signed_curve25519:AAAAAg"] = keys.OneTimeKey("otk2"),
            },
            ["fallback_keys"] = new JsonObject { ["signed_curve25519:AAAAAw"] = keys.OneTimeKey("fb", fallback: true) },
        });
        Assert.Equal(2, uploaded["one_time_key_counts"]!["signed_curve25519"]!.GetValue<int>());
        var sync = await bob.SyncAsync(cancellationToken: ct);
        Assert.Equal(2, sync["device_one_time_keys_count"]!["signed_curve25519"]!.GetValue<int>());
        Assert.Equal(["signed_curve25519"], Strings(sync["device_unused_fallback_key_types"]));

        async Task<string> ClaimOne()
        {
            var claimed = await alice.OkAsync(HttpMethod.Post, Claim, ClaimBody(bobUser.UserId, bobSession.DeviceId));
            var (keyId, key) = Assert.Single((JsonObject)claimed["one_time_keys"]![bobUser.UserId]![bobSession.DeviceId]!);
            return keyId + "=" + key!["key"]!.GetValue<string>();
        }

        Assert.Equal("signed_curve25519:AAAAAQ=otk1", await ClaimOne());
        Assert.Equal("signed_curve25519:AAAAAg=otk2", await ClaimOne());
        sync = await bob.SyncAsync(Next(sync), cancellationToken: ct);
        Assert.Equal(0, sync["device_one_time_keys_count"]!["signed_curve25519"]!.GetValue<int>());
        Assert.Equal(["signed_curve25519"], Strings(sync["device_unused_fallback_key_types"]));

        // Out of one-time keys: the fallback key, again and again, now marked used.
        Assert.Equal("signed_curve25519:AAAAAw=fb", await ClaimOne());
        Assert.Equal("signed_curve25519:AAAAAw=fb", await ClaimOne());
        sync = await bob.SyncAsync(Next(sync), cancellationToken: ct);
        Assert.Empty(Strings(sync["device_unused_fallback_key_types"]));

        // A new fallback key is unused again.
        await bob.OkAsync(HttpMethod.Post, Upload, new JsonObject
        {
            ["fallback_keys"] = new JsonObject { ["signed_curve25519:AAAABA"] = keys.OneTimeKey("fb2", fallback: true) },
        });
        sync = await bob.SyncAsync(Next(sync), cancellationToken: ct);
        Assert.Equal(["signed_curve25519"], Strings(sync["device_unused_fallback_key_types"]));
    }

    [Fact]
    public async Task A_one_time_key_id_cannot_be_reused_for_a_different_key()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (user, session, alice) = NewUser(hs, "alice");
        using var _a = alice;
        using var keys = new TestDeviceKeys(user.UserId, session.DeviceId);
        await alice.OkAsync(HttpMethod.Post, Upload, new JsonObject { ["one_time_keys"] = new JsonObject { ["signed_curve25519:k"] = keys.OneTimeKey("a") } });
        var response = await alice.PostAsync(Upload, new JsonObject { ["one_time_keys"] = new JsonObject { ["signed_curve25519:k"] = keys.OneTimeKey("b") } });
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(1, hs.OneTimeKeyCounts(user.UserId, session.DeviceId)["signed_curve25519"]);
    }

    [Fact]
    public async Task Device_keys_of_another_user_cannot_be_uploaded()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        using var keys = new TestDeviceKeys("@mallory:test.local", "EVIL");
        var response = await alice.PostAsync(Upload, new JsonObject { ["device_keys"] = keys.DeviceKeys() });
        response.AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM");
    }

    [Fact]
    public async Task Keys_query_returns_device_keys_and_the_cross_signing_keys_each_user_may_see()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (aliceUser, aliceSession, alice) = NewUser(hs, "alice");
        var (bobUser, _, bob) = NewUser(hs, "bob");
        using var _a = alice;
        using var _b = bob;
        using var device = new TestDeviceKeys(aliceUser.UserId, aliceSession.DeviceId);
        using var master = new SigningKey();
        using var selfSigning = new SigningKey();
        using var userSigning = new SigningKey();
        var a = aliceUser.UserId;

        await alice.OkAsync(HttpMethod.Post, Upload, new JsonObject { ["device_keys"] = device.DeviceKeys() });
        await alice.OkAsync(HttpMethod.Put, $"_matrix/client/v3/devices/{aliceSession.DeviceId}", new JsonObject { ["display_name"] = "Anna's badge" });

        // Synapse >= 1.110 (MSC3967): the first upload needs no user-interactive auth.
        await alice.OkAsync(HttpMethod.Post, "_matrix/client/v3/keys/device_signing/upload", new JsonObject
        {
            ["master_key"] = master.CrossSigningKey(a, "master"),
            ["self_signing_key"] = master.Sign(selfSigning.CrossSigningKey(a, "self_signing"), a, master.PublicKey),
            ["user_signing_key"] = master.Sign(userSigning.CrossSigningKey(a, "user_signing"), a, master.PublicKey),
        });
        var signed = selfSigning.Sign(device.DeviceKeys(), a, selfSigning.PublicKey);
        // The device keys are re-created with the same Ed25519 key but a new curve key: not the stored keys.
        var mismatch = await alice.OkAsync(HttpMethod.Post, "_matrix/client/v3/keys/signatures/upload",
            new JsonObject { [a] = new JsonObject { [aliceSession.DeviceId] = signed } });
        Assert.Equal("M_INVALID_SIGNATURE", mismatch["failures"]![a]![aliceSession.DeviceId]!["errcode"]!.GetValue<string>());

        var query = new JsonObject { ["device_keys"] = new JsonObject { [a] = new JsonArray() } };
        var stored = (JsonObject)(await bob.OkAsync(HttpMethod.Post, Query, query))["device_keys"]![a]![aliceSession.DeviceId]!.DeepClone();
        stored.Remove("unsigned");
        var good = selfSigning.Sign(stored, a, selfSigning.PublicKey);
        var accepted = await alice.OkAsync(HttpMethod.Post, "_matrix/client/v3/keys/signatures/upload",
            new JsonObject { [a] = new JsonObject { [aliceSession.DeviceId] = good } });
        Assert.Empty((JsonObject)accepted["failures"]!);

        var seenByBob = await bob.OkAsync(HttpMethod.Post, Query, query);
        var deviceKeys = seenByBob["device_keys"]![a]![aliceSession.DeviceId]!;
        Assert.Equal("Anna's badge", deviceKeys["unsigned"]!["device_display_name"]!.GetValue<string>());
        Assert.NotNull(deviceKeys["signatures"]![a]!["ed25519:" + selfSigning.PublicKey]);
        Assert.NotNull(deviceKeys["signatures"]![a]!["ed25519:" + aliceSession.DeviceId]);
        Assert.Equal(master.PublicKey, seenByBob["master_keys"]![a]!["keys"]!["ed25519:" + master.PublicKey]!.GetValue<string>());
        Assert.NotNull(seenByBob["self_signing_keys"]![a]);
        Assert.Null(seenByBob["user_signing_keys"]![a]); // only the owner sees its user-signing key
        var seenByAlice = await alice.OkAsync(HttpMethod.Post, Query, query);
        Assert.NotNull(seenByAlice["user_signing_keys"]![a]);
    }

    [Fact]
    public async Task Cross_signing_keys_need_a_valid_master_signature_and_replacing_them_needs_the_password()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (user, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        using var master = new SigningKey();
        using var other = new SigningKey();
        using var selfSigning = new SigningKey();
        var a = user.UserId;
        const string path = "_matrix/client/v3/keys/device_signing/upload";

        var forged = await alice.PostAsync(path, new JsonObject
        {
            ["master_key"] = master.CrossSigningKey(a, "master"),
            ["self_signing_key"] = other.Sign(selfSigning.CrossSigningKey(a, "self_signing"), a, master.PublicKey),
        });
        forged.AssertError(HttpStatusCode.BadRequest, "M_INVALID_SIGNATURE");

        var first = new JsonObject
        {
            ["master_key"] = master.CrossSigningKey(a, "master"),
            ["self_signing_key"] = master.Sign(selfSigning.CrossSigningKey(a, "self_signing"), a, master.PublicKey),
        };
        await alice.OkAsync(HttpMethod.Post, path, first);
        await alice.OkAsync(HttpMethod.Post, path, (JsonObject)first.DeepClone()); // the same keys again: idempotent

        using var newMaster = new SigningKey();
        var replacement = new JsonObject { ["master_key"] = newMaster.CrossSigningKey(a, "master") };
        var challenge = await alice.PostAsync(path, (JsonObject)replacement.DeepClone());
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.Status);
        Assert.Equal("m.login.password", challenge.Json!["flows"]![0]!["stages"]![0]!.GetValue<string>());
        var session = challenge.Json["session"]!.GetValue<string>();

        JsonObject WithAuth(string password)
        {
            var body = (JsonObject)replacement.DeepClone();
            body["auth"] = new JsonObject
            {
                ["type"] = "m.login.password", ["session"] = session, ["password"] = password,
                ["identifier"] = new JsonObject { ["type"] = "m.id.user", ["user"] = a },
            };
            return body;
        }
        var wrong = await alice.PostAsync(path, WithAuth("not-the-password"));
        wrong.AssertError(HttpStatusCode.Unauthorized, "M_FORBIDDEN");
        await alice.OkAsync(HttpMethod.Post, path, WithAuth(user.Password));
        var query = await alice.OkAsync(HttpMethod.Post, Query, new JsonObject { ["device_keys"] = new JsonObject { [a] = new JsonArray() } });
        Assert.NotNull(query["master_keys"]![a]!["keys"]!["ed25519:" + newMaster.PublicKey]);
    }
}
