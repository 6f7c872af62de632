using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Machine.GroupSessions;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Megolm;

namespace WalkieTalkie.Matrix.Tests.Machine.GroupSessions;

/// <summary><see cref="GroupSessionManager"/> on its own, answered by hand: who gets the room key, in which order,
/// withheld notices, rotation.</summary>
public sealed class GroupSessionManagerTests
{
    private const string Room = "!walkie:example.org";
    private const string Alice = "@walkie-anna:example.org", Bob = "@parent:example.org", Carol = "@carol:example.org";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-05T10:00:00Z"));
    private readonly DeviceParts _alice;
    private readonly DeviceParts _bob;
    private readonly DeviceParts _carol;
    private readonly DeviceParts[] _everyone;
    /// <summary>Devices whose one-time keys are all used (a claim finds nothing for them).</summary>
    private readonly HashSet<DeviceParts> _withoutKeys = new();

    public GroupSessionManagerTests()
    {
        _alice = new DeviceParts(Alice, "BADGE1", _time);
        _bob = new DeviceParts(Bob, "PHONE", _time);
        _carol = new DeviceParts(Carol, "TABLET", _time); // her owner never cross-signs it
        _alice.CrossSign();
        _bob.CrossSign();
        _everyone = [_alice, _bob, _carol];
    }

    private GroupSessionManager Manager => _alice.GroupSessions;

    private DeviceParts Recipient(string userId, string deviceId) => _everyone.Single(d => d.UserId == userId && d.DeviceId == deviceId);

    /// <summary>Calls ShareRoomKey until it asks for nothing more, playing the server and the recipients; returns
    /// every request it produced, in order.</summary>
    private List<OutgoingRequest> Share(IEnumerable<string> members, EncryptionSettings? settings = null)
    {
        var all = new List<OutgoingRequest>();
        for (var step = 0; step < 10; step++)
        {
            var requests = Manager.ShareRoomKey(Room, members, settings ?? EncryptionSettings.Default);
            if (requests.Count == 0)
            {
                return all;
            }

            all.AddRange(requests);
            foreach (var request in requests)
            {
                Perform(request);
            }
        }
        throw new InvalidOperationException("ShareRoomKey did not finish in 10 steps");
    }

    private void Perform(OutgoingRequest request)
    {
        switch (request)
        {
            case KeysQueryRequest query:
                _alice.AnswerQuery(query, _everyone.Where(d => query.Users.Contains(d.UserId)).ToArray());
                break;
            case KeysClaimRequest claim:
                var wanted = JsonNode.Parse(claim.BodyJson)!["one_time_keys"]!.AsObject()
                    .SelectMany(u => u.Value!.AsObject().Select(d => Recipient(u.Key, d.Key)));
                _alice.AnswerClaim(claim, wanted.Where(d => !_withoutKeys.Contains(d)).ToArray());
                break;
            case ToDeviceRequest toDevice:
                Deliver(toDevice);
                _alice.Answer(toDevice, new JsonObject());
                break;
        }
    }

    /// <summary>What each recipient's machine does with the to-device event: store the room key, note the withheld notice.</summary>
    private void Deliver(ToDeviceRequest request)
    {
        foreach (var (user, devices) in JsonNode.Parse(request.BodyJson)!["messages"]!.AsObject())
        {
            foreach (var (deviceId, _) in devices!.AsObject())
            {
                var recipient = Recipient(user, deviceId);
                var toDevice = _alice.ToDeviceEventFor(request, recipient);
                if (request.EventType == "m.room_key.withheld")
                {
                    recipient.RoomKeys.ReceiveWithheld(toDevice["content"]!.AsObject());
                    continue;
                }

                var (decrypted, commit) = recipient.Sessions.DecryptToDevice(toDevice);
                Assert.Equal("m.room_key", decrypted.Type);
                commit();
                recipient.RoomKeys.Store(RoomKey.FromRoomKeyEvent(decrypted));
            }
        }
    }

    private string Encrypt(string body) => Manager.EncryptRoomEvent(Room, "m.room.message", new JsonObject { ["body"] = body }.ToJsonString());

    private static string SessionOf(string encrypted) => JsonNode.Parse(encrypted)!["session_id"]!.GetValue<string>();

    private static string Read(DeviceParts reader, string encrypted, string eventId) =>
        reader.RoomKeys.Decrypt(Room, DeviceParts.RoomEvent(Alice, encrypted, eventId)).Content["body"]!.GetValue<string>();

    [Fact]
    public void The_room_key_goes_out_after_the_device_lists_and_the_claims_and_then_there_is_nothing_more_to_do()
    {
        var requests = Share([Alice, Bob]);

        Assert.Collection(requests,
            r => Assert.IsType<KeysQueryRequest>(r),
            r => Assert.IsType<KeysClaimRequest>(r),
            r => Assert.Equal("m.room.encrypted", Assert.IsType<ToDeviceRequest>(r).EventType));
        var recipients = JsonNode.Parse(requests[2].BodyJson)!["messages"]!.AsObject().Select(u => u.Key);
        Assert.Equal(new[] { Bob }, recipients); // not to ourselves
        var encrypted = Encrypt("over");
        Assert.Equal("over", Read(_bob, encrypted, "$1"));
        Assert.Equal("over", Read(_alice, encrypted, "$1")); // our own events decrypt for us too
        Assert.Empty(Manager.ShareRoomKey(Room, [Alice, Bob], EncryptionSettings.Default));
    }

    [Fact]
    public void A_device_its_owner_did_not_cross_sign_is_told_once_that_the_key_is_withheld_unless_all_devices_are_allowed()
    {
        var requests = Share([Alice, Bob, Carol]);
        var withheld = Assert.Single(requests.OfType<ToDeviceRequest>(), r => r.EventType == "m.room_key.withheld");
        Assert.Contains("m.unverified", withheld.BodyJson, StringComparison.Ordinal);
        Assert.Contains(Carol, withheld.BodyJson, StringComparison.Ordinal);
        Assert.DoesNotContain(Bob, withheld.BodyJson, StringComparison.Ordinal);
        var encrypted = Encrypt("secret");
        Assert.Equal(CryptoError.RoomKeyWithheld,
            Assert.Throws<MatrixCryptoException>(() => Read(_carol, encrypted, "$1")).Error);
        Assert.Empty(Share([Alice, Bob, Carol])); // once per session

        Share([Alice, Bob, Carol], new EncryptionSettings { OnlyCrossSignedDevices = false });
        Assert.Equal("now", Read(_carol, Encrypt("now"), "$2"));
    }

    [Fact]
    public void A_session_rotates_after_its_messages_after_its_period_and_when_a_device_that_had_it_is_no_longer_a_recipient()
    {
        var settings = new EncryptionSettings { Rotation = new MegolmRotationPolicy(TimeSpan.FromHours(1), 2) };
        Share([Alice, Bob], settings);
        var first = SessionOf(Encrypt("one"));
        Assert.Equal(first, SessionOf(Encrypt("two")));
        Assert.Equal(CryptoError.UnknownSession, Assert.Throws<MatrixCryptoException>(() => Encrypt("three")).Error);

        var requests = Share([Alice, Bob], settings);
        Assert.IsType<ToDeviceRequest>(Assert.Single(requests)); // a new key, over the Olm session we have
        var three = Encrypt("three");
        var second = SessionOf(three);
        Assert.NotEqual(first, second);
        Assert.Equal("three", Read(_bob, three, "$3"));

        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Share([Alice, Bob], settings);
        var third = SessionOf(Encrypt("five"));
        Assert.NotEqual(second, third);

        Share([Alice], settings); // Bob left
        Assert.NotEqual(third, SessionOf(Encrypt("six")));
    }

    [Fact]
    public void A_device_with_no_key_left_to_claim_is_told_m_no_olm_once()
    {
        _withoutKeys.Add(_bob);
        var requests = Share([Alice, Bob]);
        var noOlm = Assert.Single(requests.OfType<ToDeviceRequest>());
        Assert.Equal("m.room_key.withheld", noOlm.EventType);
        Assert.Contains("m.no_olm", noOlm.BodyJson, StringComparison.Ordinal);
        Assert.Empty(Share([Alice, Bob]));
    }

    [Fact]
    public void Without_a_shared_session_there_is_nothing_to_encrypt_with_and_a_discarded_session_is_saved_as_gone()
    {
        Assert.Equal(CryptoError.UnknownSession, Assert.Throws<MatrixCryptoException>(() => Encrypt("early")).Error);
        Share([Alice, Bob]);
        Encrypt("fine");
        _alice.GroupSessions.TakeChanges(new CryptoChanges { UserId = Alice, DeviceId = "BADGE1" });

        Manager.DiscardRoomKey(Room);
        Assert.True(Manager.HasChanges);
        Assert.Equal(CryptoError.UnknownSession, Assert.Throws<MatrixCryptoException>(() => Encrypt("late")).Error);
        var changes = new CryptoChanges { UserId = Alice, DeviceId = "BADGE1" };
        Manager.TakeChanges(changes);
        Assert.Equal((Room, (byte[]?)null), Assert.Single(changes.OutboundSessions));
    }

    [Fact]
    public void The_session_and_who_has_its_key_survive_a_restore()
    {
        Share([Alice, Bob]);
        var before = SessionOf(Encrypt("one"));
        var changes = new CryptoChanges { UserId = Alice, DeviceId = "BADGE1" };
        Manager.TakeChanges(changes);
        Assert.False(Manager.HasChanges);
        var metadata = new JsonObject();
        Manager.WriteMetadata(metadata);

        var restored = new GroupSessionManager(Alice, "BADGE1", _alice.Account, _alice.Identities, _alice.Sessions, _alice.RoomKeys, _alice.Requests, _time);
        restored.Restore(changes.OutboundSessions.Select(o => (o.RoomId, o.State!)), metadata);

        Assert.Empty(restored.ShareRoomKey(Room, [Alice, Bob], EncryptionSettings.Default)); // Bob has the key already
        var after = restored.EncryptRoomEvent(Room, "m.room.message", """{"body":"two"}""");
        Assert.Equal(before, SessionOf(after));
        Assert.Equal("two", Read(_bob, after, "$2"));
    }
}
