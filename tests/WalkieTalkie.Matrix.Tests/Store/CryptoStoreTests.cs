using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Storage;
using WalkieTalkie.Matrix.Store;
using WalkieTalkie.Matrix.Tests.Machine;

namespace WalkieTalkie.Matrix.Tests.Store;

public sealed class CryptoStoreTests : IDisposable
{
    private const string Room = "!walkie:example.org";
    private const string Alice = "@walkie-anna:example.org", Bob = "@parent:example.org";
    private readonly string _dir = Directory.CreateTempSubdirectory("wt-store-").FullName;
    private readonly byte[] _keyBytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string DbPath => Path.Combine(_dir, "badge.db");

    [Fact]
    public void A_reopened_machine_keeps_its_keys_sessions_devices_and_sync_token()
    {
        var server = new InMemoryHomeserver();
        var pump = new MachinePump(server);
        var bob = OlmMachine.Create(Bob, "PHONE");
        pump.Settle(bob);
        pump.Perform(bob, bob.BootstrapCrossSigning());

        string aliceEd, aliceCurve, first, second, third;
        using (var store = CryptoStore.Open(DbPath, new StoreKey(_keyBytes)))
        {
            var alice = store.OpenMachine(Alice, "BADGE1");
            aliceEd = alice.Ed25519Key;
            aliceCurve = alice.Curve25519Key;
            pump.Settle(alice, bob);
            pump.Perform(alice, alice.BootstrapCrossSigning());
            pump.Share(alice, Room, [Bob]);
            first = alice.EncryptRoomEvent(Room, "m.room.message", """{"body":"before"}""");
            store.SaveChanges(alice.TakeChanges(), "s1");
            pump.Settle(alice, bob);
            store.SaveChanges(alice.TakeChanges(), "s2");
            Assert.Equal("s2", store.SyncToken);
        }

        using (var store = CryptoStore.Open(DbPath, new StoreKey(_keyBytes)))
        {
            Assert.Equal("s2", store.SyncToken);
            var alice = store.OpenMachine(Alice, "BADGE1");
            Assert.Equal(aliceEd, alice.Ed25519Key);
            Assert.Equal(aliceCurve, alice.Curve25519Key);
            Assert.True(alice.IsCrossSigningBootstrapped);
            Assert.True(alice.IsCrossSigned(alice.GetDevice(Bob, "PHONE")!));
            Assert.Empty(alice.ShareRoomKey(Room, [Bob])); // the session and who has it survived
            second = alice.EncryptRoomEvent(Room, "m.room.message", """{"body":"after"}""");
            Assert.Equal("before", alice.DecryptRoomEvent(Room, Event(first, "$1")).Content["body"]!.GetValue<string>());
            // The Olm session with Bob survived too: a new room key goes over it, with no new key claim.
            alice.DiscardRoomKey(Room);
            var share = pump.Share(alice, Room, [Bob]);
            Assert.DoesNotContain(share, r => r is WalkieTalkie.Matrix.Crypto.Machine.Requests.KeysClaimRequest);
            third = alice.EncryptRoomEvent(Room, "m.room.message", """{"body":"rotated"}""");
            store.SaveChanges(alice.TakeChanges(), null);
        }
        bob.UpdateTrackedUsers([Alice]);
        pump.Settle(bob);
        Assert.Equal("after", bob.DecryptRoomEvent(Room, Event(second, "$2")).Content["body"]!.GetValue<string>());
        Assert.Equal(VerificationState.CrossSigned, bob.DecryptRoomEvent(Room, Event(second, "$2")).Verification);
        Assert.Equal("rotated", bob.DecryptRoomEvent(Room, Event(third, "$3")).Content["body"]!.GetValue<string>());
        Assert.DoesNotContain(pump.Received[Bob], e => e.Outcome == ToDeviceOutcome.Failed);
    }

    [Fact]
    public void A_wrong_key_is_refused_before_anything_is_read_or_written()
    {
        using (var store = CryptoStore.Open(DbPath, new StoreKey(_keyBytes)))
        {
            store.OpenMachine(Alice, "BADGE1");
        }

        var before = File.ReadAllBytes(DbPath);
        var error = Assert.Throws<MatrixCryptoException>(() => CryptoStore.Open(DbPath, StoreKey.Generate()));
        Assert.Equal(CryptoError.CorruptState, error.Error);
        Assert.Contains("store key", error.Message);
        using var again = CryptoStore.Open(DbPath, new StoreKey(_keyBytes));
        Assert.NotNull(again.OpenMachine(Alice, "BADGE1"));
    }

    [Fact]
    public void A_store_of_another_device_is_not_opened_for_this_one()
    {
        using var store = CryptoStore.Open(DbPath, new StoreKey(_keyBytes));
        store.OpenMachine(Alice, "BADGE1");
        Assert.Throws<InvalidOperationException>(() => store.OpenMachine(Alice, "BADGE2"));
    }

    [Fact]
    public void The_key_comes_from_the_key_file_or_the_environment_and_there_is_no_default()
    {
        var missing = Assert.Throws<StoreKeyMissingException>(() => StoreKeySource.Load(null, _ => null));
        Assert.Contains(StoreKeySource.EnvironmentVariable, missing.Message);
        Assert.Throws<StoreKeyMissingException>(() => StoreKeySource.Load(null, _ => "not base64!"));
        Assert.Throws<StoreKeyMissingException>(() => StoreKeySource.Load(null, _ => Convert.ToBase64String(new byte[16])));
        Assert.Throws<StoreKeyMissingException>(() => StoreKeySource.Load(Path.Combine(_dir, "nope.key"), _ => null));

        var keyFile = Path.Combine(_dir, "store.key");
        File.WriteAllText(keyFile, Convert.ToBase64String(_keyBytes) + "\n");
        using (var store = CryptoStore.Open(DbPath, StoreKeySource.Load(keyFile, _ => null)))
        {
            store.OpenMachine(Alice, "BADGE1");
        }

        using (var store = CryptoStore.Open(DbPath, StoreKeySource.Load(null, _ => Convert.ToBase64String(_keyBytes))))
        {
            store.OpenMachine(Alice, "BADGE1");
        }

        File.WriteAllBytes(keyFile, _keyBytes);
        using (var store = CryptoStore.Open(DbPath, StoreKeySource.Load(keyFile, _ => null)))
        {
            store.OpenMachine(Alice, "BADGE1");
        }
    }

    private static string Event(string content, string eventId) => new JsonObject
    {
        ["type"] = "m.room.encrypted", ["sender"] = Alice, ["event_id"] = eventId, ["origin_server_ts"] = 1,
        ["content"] = JsonNode.Parse(content),
    }.ToJsonString();
}
