using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Megolm;

namespace WalkieTalkie.Matrix.Tests.Machine;

/// <summary>Two (or three) machines talking through the in-memory homeserver.</summary>
public sealed class OlmMachineTests
{
    private const string Room = "!walkie:example.org";
    private const string Alice = "@walkie-anna:example.org", Bob = "@parent:example.org", Carol = "@carol:example.org";
    private readonly InMemoryHomeserver _server = new();
    private readonly MachinePump _pump;

    public OlmMachineTests() => _pump = new MachinePump(_server);

    private OlmMachine NewMachine(string user, string device, bool crossSign = true)
    {
        var machine = OlmMachine.Create(user, device);
        _pump.Settle(machine); // device keys, one-time keys, fallback key
        if (crossSign)
        {
            _pump.Perform(machine, machine.BootstrapCrossSigning());
        }

        return machine;
    }

    private static string Event(string sender, string contentJson, string eventId) => new JsonObject
    {
        ["type"] = "m.room.encrypted", ["sender"] = sender, ["event_id"] = eventId, ["origin_server_ts"] = 1700000000000,
        ["content"] = JsonNode.Parse(contentJson),
    }.ToJsonString();

    private static string Session(string encryptedContent) => JsonNode.Parse(encryptedContent)!["session_id"]!.GetValue<string>();

    [Fact]
    public void A_relation_travels_in_the_clear_beside_the_ciphertext_and_stays_in_the_plaintext()
    {
        var alice = NewMachine(Alice, "BADGE1");
        var bob = NewMachine(Bob, "PHONE");
        bob.UpdateTrackedUsers([Alice, Bob]);
        _pump.Settle(alice, bob);
        _pump.Share(alice, Room, [Alice, Bob]);
        const string relation = """{"rel_type":"m.thread","event_id":"$root","is_falling_back":true,"m.in_reply_to":{"event_id":"$latest"}}""";

        var threaded = JsonNode.Parse(alice.EncryptRoomEvent(Room, "m.room.message", $$"""{"msgtype":"m.audio","body":"burst 2","m.relates_to":{{relation}}}"""))!;
        var plain = JsonNode.Parse(alice.EncryptRoomEvent(Room, "m.room.message", """{"msgtype":"m.audio","body":"burst 1"}"""))!;
        _pump.Settle(alice, bob);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(relation), threaded["m.relates_to"]), threaded.ToJsonString());
        Assert.DoesNotContain("burst 2", threaded.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(plain["m.relates_to"]);
        var decrypted = bob.DecryptRoomEvent(Room, Event(Alice, threaded.ToJsonString(), "$2"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(relation), decrypted.Content["m.relates_to"]));
    }

    [Fact]
    public void A_room_event_goes_from_one_cross_signed_device_to_another_with_its_sender_verified()
    {
        var alice = NewMachine(Alice, "BADGE1");
        var bob = NewMachine(Bob, "PHONE");
        bob.UpdateTrackedUsers([Alice, Bob]); // the room's members
        _pump.Settle(alice, bob);

        var requests = _pump.Share(alice, Room, [Alice, Bob]);
        Assert.Contains(requests, r => r is KeysQueryRequest);
        Assert.Contains(requests, r => r is KeysClaimRequest);
        var share = Assert.Single(requests.OfType<ToDeviceRequest>());
        Assert.Equal("m.room.encrypted", share.EventType);
        var encrypted = alice.EncryptRoomEvent(Room, "m.room.message", """{"msgtype":"m.text","body":"over"}""");
        _pump.Settle(alice, bob);

        var roomKey = Assert.Single(_pump.Received[Bob], e => e.Type == "m.room_key");
        Assert.Equal(ToDeviceOutcome.Decrypted, roomKey.Outcome);
        Assert.Equal("BADGE1", roomKey.SenderDevice?.DeviceId);

        var decrypted = bob.DecryptRoomEvent(Room, Event(Alice, encrypted, "$1"));
        Assert.Equal("m.room.message", decrypted.Type);
        Assert.Equal("over", decrypted.Content["body"]!.GetValue<string>());
        Assert.Equal(Alice, decrypted.Sender);
        Assert.Equal("BADGE1", decrypted.SenderDevice?.DeviceId);
        Assert.Equal(VerificationState.CrossSigned, decrypted.Verification);
        Assert.Equal(0u, decrypted.MessageIndex);

        // The sender reads its own events too.
        Assert.Equal("over", alice.DecryptRoomEvent(Room, Event(Alice, encrypted, "$1")).Content["body"]!.GetValue<string>());
        // Nothing more to share for an unchanged room.
        Assert.Empty(alice.ShareRoomKey(Room, [Alice, Bob]));
    }

    [Fact]
    public void Devices_their_owner_did_not_cross_sign_get_withheld_by_default_and_the_key_when_allowed()
    {
        var alice = NewMachine(Alice, "BADGE1");
        var bob = NewMachine(Bob, "PHONE", crossSign: false);
        _pump.Settle(alice, bob);

        var requests = _pump.Share(alice, Room, [Bob]);
        var withheld = Assert.Single(requests.OfType<ToDeviceRequest>());
        Assert.Equal("m.room_key.withheld", withheld.EventType);
        Assert.Contains("m.unverified", withheld.BodyJson);
        var encrypted = alice.EncryptRoomEvent(Room, "m.room.message", """{"body":"secret"}""");
        _pump.Settle(alice, bob);
        var error = Assert.Throws<MatrixCryptoException>(() => bob.DecryptRoomEvent(Room, Event(Alice, encrypted, "$1")));
        Assert.Equal(CryptoError.RoomKeyWithheld, error.Error);

        // With the strategy relaxed the device gets the key (a new session: the old one was withheld from it).
        var all = new EncryptionSettings { OnlyCrossSignedDevices = false };
        Assert.Contains(_pump.Share(alice, Room, [Bob], all), r => r is ToDeviceRequest { EventType: "m.room.encrypted" });
        var second = alice.EncryptRoomEvent(Room, "m.room.message", """{"body":"now"}""");
        _pump.Settle(alice, bob);
        Assert.Equal("now", bob.DecryptRoomEvent(Room, Event(Alice, second, "$2")).Content["body"]!.GetValue<string>());
    }

    [Fact]
    public void A_sender_its_owner_did_not_cross_sign_decrypts_as_not_cross_signed()
    {
        var alice = NewMachine(Alice, "BADGE1", crossSign: false);
        var bob = NewMachine(Bob, "PHONE");
        _pump.Settle(alice, bob);
        _pump.Share(alice, Room, [Bob]);
        var encrypted = alice.EncryptRoomEvent(Room, "m.room.message", """{"body":"hi"}""");
        _pump.Settle(alice, bob);

        // Bob does not track Alice yet: the device is only known from sender_device_keys of the Olm payload.
        var first = bob.DecryptRoomEvent(Room, Event(Alice, encrypted, "$1"));
        Assert.Equal(VerificationState.UnknownDevice, first.Verification);
        _pump.Settle(alice, bob); // decrypting made Bob track Alice; the query runs
        var again = bob.DecryptRoomEvent(Room, Event(Alice, encrypted, "$1"));
        Assert.Equal(VerificationState.NotCrossSigned, again.Verification);
        Assert.Equal("BADGE1", again.SenderDevice?.DeviceId);
    }

    [Fact]
    public void The_session_rotates_after_its_message_count_and_when_a_member_leaves()
    {
        var alice = NewMachine(Alice, "BADGE1");
        var bob = NewMachine(Bob, "PHONE");
        var carol = NewMachine(Carol, "LAPTOP");
        _pump.Settle(alice, bob, carol);
        var settings = new EncryptionSettings { Rotation = new MegolmRotationPolicy(TimeSpan.FromDays(7), 2) };

        _pump.Share(alice, Room, [Bob, Carol], settings);
        var e1 = alice.EncryptRoomEvent(Room, "m.room.message", """{"body":"1"}""");
        var e2 = alice.EncryptRoomEvent(Room, "m.room.message", """{"body":"2"}""");
        Assert.Equal(CryptoError.UnknownSession,
            Assert.Throws<MatrixCryptoException>(() => alice.EncryptRoomEvent(Room, "m.room.message", """{"body":"3"}""")).Error);
        _pump.Share(alice, Room, [Bob, Carol], settings);
        var e3 = alice.EncryptRoomEvent(Room, "m.room.message", """{"body":"3"}""");
        Assert.NotEqual(Session(e1), Session(e3));
        Assert.Equal(Session(e1), Session(e2));

        // Carol leaves: the next share starts a session she never gets.
        _pump.Share(alice, Room, [Bob], settings);
        var e4 = alice.EncryptRoomEvent(Room, "m.room.message", """{"body":"4"}""");
        Assert.NotEqual(Session(e3), Session(e4));
        _pump.Settle(alice, bob, carol);

        foreach (var (e, i) in new[] { (e1, 1), (e2, 2), (e3, 3), (e4, 4) })
        {
            Assert.Equal(i.ToString(), bob.DecryptRoomEvent(Room, Event(Alice, e, "$" + i)).Content["body"]!.GetValue<string>());
        }

        Assert.Equal("3", carol.DecryptRoomEvent(Room, Event(Alice, e3, "$3")).Content["body"]!.GetValue<string>());
        Assert.Equal(CryptoError.UnknownSession,
            Assert.Throws<MatrixCryptoException>(() => carol.DecryptRoomEvent(Room, Event(Alice, e4, "$4"))).Error);
    }

    [Fact]
    public void A_replayed_index_and_a_forged_sender_are_refused()
    {
        var alice = NewMachine(Alice, "BADGE1");
        var bob = NewMachine(Bob, "PHONE");
        _pump.Settle(alice, bob);
        _pump.Share(alice, Room, [Bob]);
        var encrypted = alice.EncryptRoomEvent(Room, "m.room.message", """{"body":"a"}""");
        _pump.Settle(alice, bob);

        bob.DecryptRoomEvent(Room, Event(Alice, encrypted, "$1"));
        bob.DecryptRoomEvent(Room, Event(Alice, encrypted, "$1")); // the same event again is fine
        Assert.Equal(CryptoError.ReplayedMessage,
            Assert.Throws<MatrixCryptoException>(() => bob.DecryptRoomEvent(Room, Event(Alice, encrypted, "$other"))).Error);
        Assert.Equal(CryptoError.PayloadCheckFailed,
            Assert.Throws<MatrixCryptoException>(() => bob.DecryptRoomEvent(Room, Event(Carol, encrypted, "$2"))).Error);
        Assert.Equal(CryptoError.UnknownSession,
            Assert.Throws<MatrixCryptoException>(() => bob.DecryptRoomEvent("!other:example.org", Event(Alice, encrypted, "$1"))).Error);
    }

    [Fact]
    public void Room_keys_in_the_clear_and_forwarded_room_keys_are_refused()
    {
        var bob = NewMachine(Bob, "PHONE");
        var key = OutboundGroupSession.Create(DateTimeOffset.UtcNow);
        var content = new JsonObject
        {
            ["algorithm"] = "m.megolm.v1.aes-sha2", ["room_id"] = Room, ["session_id"] = key.SessionId, ["session_key"] = key.SessionKey,
        };
        _server.Deliver(Bob, "PHONE", Alice, "m.room_key", content);
        var result = Assert.Single(bob.ReceiveSyncChanges(_server.Sync(Bob, "PHONE")));
        Assert.Equal(ToDeviceOutcome.Refused, result.Outcome);
        Assert.False(bob.HasRoomKey(Room, key.SessionId));

        // Over Olm, from a real device, as m.forwarded_room_key: still refused.
        var alice = NewMachine(Alice, "BADGE1");
        _pump.Settle(alice, bob);
        var forwarded = (JsonObject)content.DeepClone();
        forwarded["session_key"] = InboundGroupSession.FromSessionKey(key.SessionKey).Export();
        forwarded["sender_key"] = alice.Curve25519Key;
        forwarded["sender_claimed_ed25519_key"] = alice.Ed25519Key;
        forwarded["forwarding_curve25519_key_chain"] = new JsonArray();
        var sent = OlmPeer.SendOlm(_server, _pump, alice, bob, "m.forwarded_room_key", forwarded);
        Assert.Equal(ToDeviceOutcome.Refused, sent.Outcome);
        Assert.False(bob.HasRoomKey(Room, key.SessionId));
    }

    [Fact]
    public void A_wedged_session_is_replaced_and_announced_with_m_dummy_once_an_hour()
    {
        var alice = NewMachine(Alice, "BADGE1");
        var bob = NewMachine(Bob, "PHONE");
        bob.UpdateTrackedUsers([Alice]);
        _pump.Settle(alice, bob);
        _pump.Share(alice, Room, [Bob]);
        _pump.Settle(alice, bob);

        // A normal Olm message from Alice's key that Bob cannot decrypt (corrupted in transit).
        var garbage = new JsonObject
        {
            ["algorithm"] = "m.olm.v1.curve25519-aes-sha2", ["sender_key"] = alice.Curve25519Key,
            ["ciphertext"] = new JsonObject { [bob.Curve25519Key] = new JsonObject { ["type"] = 1, ["body"] = "AwogAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } },
        };
        _server.Deliver(Bob, "PHONE", Alice, "m.room.encrypted", garbage);
        var failed = Assert.Single(bob.ReceiveSyncChanges(_server.Sync(Bob, "PHONE")));
        Assert.Equal(ToDeviceOutcome.Failed, failed.Outcome);
        var claim = Assert.Single(bob.OutgoingRequests());
        Assert.IsType<KeysClaimRequest>(claim);
        _pump.Perform(bob, [claim]);
        var dummy = Assert.Single(bob.OutgoingRequests());
        Assert.Equal("m.room.encrypted", Assert.IsType<ToDeviceRequest>(dummy).EventType);
        _pump.Perform(bob, [dummy]);
        var received = alice.ReceiveSyncChanges(_server.Sync(Alice, "BADGE1"));
        Assert.Contains(received, e => e is { Outcome: ToDeviceOutcome.Decrypted, Type: "m.dummy", Sender: Bob });

        // A second failure within the hour does not start yet another session.
        _server.Deliver(Bob, "PHONE", Alice, "m.room.encrypted", garbage);
        bob.ReceiveSyncChanges(_server.Sync(Bob, "PHONE"));
        Assert.DoesNotContain(bob.OutgoingRequests(), r => r is KeysClaimRequest);
    }

    [Fact]
    public void A_device_without_keys_to_claim_is_told_m_no_olm_once_and_skipped()
    {
        var alice = NewMachine(Alice, "BADGE1");
        var silent = OlmMachine.Create(Carol, "OLD"); // its device keys are on the server, but no one-time or fallback key
        _server.AddDeviceKeys(silent.DeviceKeys(), []);
        var everyDevice = new EncryptionSettings { OnlyCrossSignedDevices = false };

        var requests = _pump.Share(alice, Room, [Carol], everyDevice);
        var noOlm = Assert.Single(requests.OfType<ToDeviceRequest>());
        Assert.Equal("m.room_key.withheld", noOlm.EventType);
        Assert.Contains("m.no_olm", noOlm.BodyJson);
        Assert.DoesNotContain("room_id", noOlm.BodyJson);
        Assert.Empty(alice.ShareRoomKey(Room, [Carol], everyDevice));
        alice.DiscardRoomKey(Room);
        Assert.DoesNotContain(_pump.Share(alice, Room, [Carol], everyDevice), r => r is ToDeviceRequest or KeysClaimRequest);
    }

    [Fact]
    public void A_wedged_session_with_a_device_not_yet_known_is_unwedged_after_querying_its_owner()
    {
        var alice = NewMachine(Alice, "BADGE1");
        var bob = NewMachine(Bob, "PHONE");
        _pump.Settle(alice, bob);
        var garbage = new JsonObject
        {
            ["algorithm"] = "m.olm.v1.curve25519-aes-sha2", ["sender_key"] = alice.Curve25519Key,
            ["ciphertext"] = new JsonObject { [bob.Curve25519Key] = new JsonObject { ["type"] = 1, ["body"] = "AwogAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } },
        };
        _server.Deliver(Bob, "PHONE", Alice, "m.room.encrypted", garbage);
        Assert.Equal(ToDeviceOutcome.Failed, Assert.Single(bob.ReceiveSyncChanges(_server.Sync(Bob, "PHONE"))).Outcome);

        Assert.IsType<KeysQueryRequest>(Assert.Single(bob.OutgoingRequests()));
        _pump.Perform(bob, bob.OutgoingRequests());
        Assert.IsType<KeysClaimRequest>(Assert.Single(bob.OutgoingRequests()));
        _pump.Perform(bob, bob.OutgoingRequests());
        _pump.Perform(bob, bob.OutgoingRequests()); // the m.dummy
        Assert.Contains(alice.ReceiveSyncChanges(_server.Sync(Alice, "BADGE1")), e => e is { Outcome: ToDeviceOutcome.Decrypted, Type: "m.dummy" });
    }

    [Fact]
    public void One_time_keys_are_topped_up_and_a_used_fallback_key_is_replaced()
    {
        var alice = NewMachine(Alice, "BADGE1");
        Assert.Equal(50, _server.OneTimeKeyCount(Alice, "BADGE1"));
        var first = _server.Log.OfType<KeysUploadRequest>().First();
        Assert.Contains("\"device_keys\"", first.BodyJson);
        Assert.Contains("\"fallback_keys\"", first.BodyJson);

        // 30 claims leave 20 on the server: below half, so it is filled to 50 again.
        var others = Enumerable.Range(0, 30).Select(i => NewMachine("@u" + i + ":example.org", "D" + i, crossSign: false)).ToList();
        var withAllDevices = new EncryptionSettings { OnlyCrossSignedDevices = false };
        foreach (var other in others)
        {
            _pump.Share(other, Room, [Alice], withAllDevices);
        }

        Assert.Equal(20, _server.OneTimeKeyCount(Alice, "BADGE1"));
        alice.ReceiveSyncChanges(_server.Sync(Alice, "BADGE1"));
        var topUp = Assert.IsType<KeysUploadRequest>(Assert.Single(alice.OutgoingRequests()));
        Assert.Equal(30, JsonNode.Parse(topUp.BodyJson)!["one_time_keys"]!.AsObject().Count);
        Assert.DoesNotContain("device_keys", topUp.BodyJson);
        _pump.Perform(alice, [topUp]);
        Assert.Equal(50, _server.OneTimeKeyCount(Alice, "BADGE1"));

        // The sync says the fallback key was used: a new one is uploaded, and messages to the old one still decrypt.
        alice.ReceiveSyncChanges(new SyncChanges { UnusedFallbackKeyTypes = [] });
        var fallback = Assert.IsType<KeysUploadRequest>(Assert.Single(alice.OutgoingRequests()));
        Assert.Contains("\"fallback_keys\"", fallback.BodyJson);
        Assert.DoesNotContain("\"one_time_keys\"", fallback.BodyJson);
    }

    [Fact]
    public void Devices_with_a_bad_self_signature_or_a_changed_key_and_unsigned_self_signing_keys_are_not_trusted()
    {
        var alice = NewMachine(Alice, "BADGE1");
        var bob = NewMachine(Bob, "PHONE");
        _pump.Settle(alice, bob);
        alice.UpdateTrackedUsers([Bob]);
        _pump.Settle(alice, bob);
        var phone = alice.GetDevice(Bob, "PHONE")!;
        Assert.True(alice.IsCrossSigned(phone));

        // The server swaps Bob's device keys for another key under the same device id: the known keys stay.
        var impostor = OlmMachine.Create(Bob, "PHONE");
        _server.ReplaceDeviceKeys(Bob, "PHONE", impostor.DeviceKeys());
        _pump.Settle(alice, bob);
        Assert.Equal(phone.Ed25519Key, alice.GetDevice(Bob, "PHONE")!.Ed25519Key);

        // A self-signing key the master key did not sign does not cross-sign anything.
        var fake = WalkieTalkie.Matrix.Crypto.CrossSigning.CrossSigningIdentity.Create(Bob);
        _server.ReplaceSelfSigningKey(Bob, fake.SelfSigningKeyObject());
        _pump.Settle(alice, bob);
        Assert.Null(alice.GetUserIdentity(Bob)!.SelfSigningKey);
        Assert.False(alice.IsCrossSigned(alice.GetDevice(Bob, "PHONE")!));
    }
}
