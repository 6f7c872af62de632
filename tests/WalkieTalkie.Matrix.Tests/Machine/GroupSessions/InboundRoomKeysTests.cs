using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Machine.GroupSessions;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Megolm;

namespace WalkieTalkie.Matrix.Tests.Machine.GroupSessions;

/// <summary><see cref="InboundRoomKeys"/> on its own: which key decrypts what, replays, withheld notices.</summary>
public sealed class InboundRoomKeysTests
{
    private const string Room = "!walkie:example.org", OtherRoom = "!other:example.org";
    private const string Alice = "@walkie-anna:example.org", Bob = "@parent:example.org";
    private readonly FakeTimeProvider _time = new();
    private readonly DeviceParts _alice;
    private readonly DeviceParts _bob;
    private readonly OutboundGroupSession _session;
    /// <summary>The session key before the first message: it decrypts every message.</summary>
    private readonly string _keyFromIndexZero;

    public InboundRoomKeysTests()
    {
        _alice = new DeviceParts(Alice, "BADGE1", _time);
        _bob = new DeviceParts(Bob, "PHONE", _time);
        _session = OutboundGroupSession.Create(_time.GetUtcNow());
        _keyFromIndexZero = _session.SessionKey;
    }

    private InboundRoomKeys Keys => _bob.RoomKeys;

    private RoomKey KeyFromAlice(string roomId, string? sessionKey = null) => new(roomId,
        InboundGroupSession.FromSessionKey(sessionKey ?? _keyFromIndexZero), Alice, _alice.Account.Curve25519Key, _alice.Account.Ed25519Key);

    /// <summary>Alice's next Megolm message, encrypted for <paramref name="plaintextRoom"/>, as a timeline event.</summary>
    private string Event(string eventId, string body, string plaintextRoom = Room, string sender = Alice)
    {
        var plaintext = new JsonObject { ["type"] = "m.room.message", ["content"] = new JsonObject { ["body"] = body }, ["room_id"] = plaintextRoom };
        var content = new JsonObject
        {
            ["algorithm"] = "m.megolm.v1.aes-sha2",
            ["sender_key"] = _alice.Account.Curve25519Key,
            ["device_id"] = "BADGE1",
            ["session_id"] = _session.SessionId,
            ["ciphertext"] = _session.Encrypt(Encoding.UTF8.GetBytes(plaintext.ToJsonString())),
        };
        return DeviceParts.RoomEvent(sender, content.ToJsonString(), eventId);
    }

    private static string With(string eventJson, string? eventId = null, string? sessionId = null)
    {
        var roomEvent = JsonNode.Parse(eventJson)!;
        roomEvent["event_id"] = eventId ?? roomEvent["event_id"]!.GetValue<string>();
        roomEvent["content"]!["session_id"] = sessionId ?? roomEvent["content"]!["session_id"]!.GetValue<string>();
        return roomEvent.ToJsonString();
    }

    private static CryptoError ErrorOf(Action action) => Assert.Throws<MatrixCryptoException>(action).Error;

    [Fact]
    public void A_room_event_decrypts_with_the_key_of_its_room_and_session_and_nothing_else()
    {
        Keys.Store(KeyFromAlice(Room));
        var message = Event("$1", "over");
        Assert.Equal("over", Keys.Decrypt(Room, message).Content["body"]!.GetValue<string>());
        Assert.Equal(CryptoError.UnknownSession, ErrorOf(() => Keys.Decrypt(OtherRoom, message)));

        Keys.Store(KeyFromAlice(OtherRoom));
        Assert.Equal(CryptoError.PayloadCheckFailed, ErrorOf(() => Keys.Decrypt(OtherRoom, message))); // its plaintext names Room
    }

    [Fact]
    public void Only_the_user_who_gave_the_key_can_send_with_it()
    {
        Keys.Store(KeyFromAlice(Room));
        Assert.Equal(CryptoError.PayloadCheckFailed, ErrorOf(() => Keys.Decrypt(Room, Event("$1", "hi", sender: "@mallory:example.org"))));
    }

    [Fact]
    public void An_index_another_event_used_is_a_replay_and_the_used_indexes_are_saved()
    {
        Keys.Store(KeyFromAlice(Room));
        var message = Event("$1", "over");
        Keys.Decrypt(Room, message);
        Keys.Decrypt(Room, message); // the same event again (a re-sync) is fine
        Assert.Equal(CryptoError.ReplayedMessage, ErrorOf(() => Keys.Decrypt(Room, With(message, eventId: "$2"))));

        var changes = new CryptoChanges { UserId = Bob, DeviceId = "PHONE" };
        Keys.TakeChanges(changes);
        Assert.NotEmpty(changes.ReplayEntries);
        Assert.All(changes.ReplayEntries, e => Assert.Equal(("$1", 0u), (e.EventId, e.MessageIndex)));
        Assert.Single(changes.RoomKeys);
        Assert.False(Keys.HasChanges);
    }

    [Fact]
    public void The_copy_of_a_key_that_reaches_furthest_back_is_kept()
    {
        var first = Event("$0", "zero");
        var fromOne = _session.SessionKey;

        Keys.Store(KeyFromAlice(Room, fromOne));
        Assert.Equal(CryptoError.UnknownMessageIndex, ErrorOf(() => Keys.Decrypt(Room, first)));
        Keys.Store(KeyFromAlice(Room));
        Assert.Equal("zero", Keys.Decrypt(Room, first).Content["body"]!.GetValue<string>());
        Keys.Store(KeyFromAlice(Room, fromOne));
        Assert.Equal("zero", Keys.Decrypt(Room, first).Content["body"]!.GetValue<string>());
    }

    [Fact]
    public void A_withheld_notice_explains_a_missing_key_and_never_removes_one()
    {
        var withheld = new JsonObject { ["room_id"] = Room, ["session_id"] = _session.SessionId, ["code"] = "m.unverified", ["reason"] = "not cross-signed" };
        var message = Event("$1", "over");
        Keys.ReceiveWithheld(withheld);
        Assert.True(Keys.HasChanges);
        var error = Assert.Throws<MatrixCryptoException>(() => Keys.Decrypt(Room, message));
        Assert.Equal(CryptoError.RoomKeyWithheld, error.Error);
        Assert.Contains("m.unverified", error.Message, StringComparison.Ordinal);

        Keys.Store(KeyFromAlice(Room));
        Keys.ReceiveWithheld(withheld); // anyone can send one: it must not hide a key we hold
        Assert.Equal("over", Keys.Decrypt(Room, message).Content["body"]!.GetValue<string>());
        var metadata = new JsonObject();
        Keys.WriteMetadata(metadata);
        Assert.Equal("[]", metadata["withheld"]!.ToJsonString());
    }

    [Fact]
    public void The_sending_device_is_checked_against_the_device_list_and_its_verification_reported()
    {
        Keys.Store(KeyFromAlice(Room));
        var unknown = Keys.Decrypt(Room, Event("$1", "one"));
        Assert.Equal(VerificationState.UnknownDevice, unknown.Verification);
        Assert.Contains(Alice, _bob.Identities.TrackedUsers); // to learn the device for the next events

        _alice.CrossSign();
        _bob.Identities.QueryOutdatedUsers();
        _bob.AnswerQuery(Assert.Single(_bob.Requests.Queued()), _alice);
        var known = Keys.Decrypt(Room, Event("$2", "two"));
        Assert.Equal(VerificationState.CrossSigned, known.Verification);
        Assert.Equal("BADGE1", known.SenderDevice?.DeviceId);

        // A key claiming another Ed25519 key than the device list's for the same Curve25519 key.
        var impostor = new DeviceParts(Alice, "BADGE1", _time);
        var session = OutboundGroupSession.Create(_time.GetUtcNow());
        Keys.Store(new RoomKey(Room, InboundGroupSession.FromSessionKey(session.SessionKey), Alice, _alice.Account.Curve25519Key, impostor.Account.Ed25519Key));
        var plaintext = new JsonObject { ["type"] = "m.room.message", ["content"] = new JsonObject(), ["room_id"] = Room };
        var content = new JsonObject
        {
            ["algorithm"] = "m.megolm.v1.aes-sha2", ["session_id"] = session.SessionId,
            ["ciphertext"] = session.Encrypt(Encoding.UTF8.GetBytes(plaintext.ToJsonString())),
        };
        Assert.Equal(CryptoError.PayloadCheckFailed, ErrorOf(() => Keys.Decrypt(Room, DeviceParts.RoomEvent(Alice, content.ToJsonString(), "$3"))));
    }

    [Fact]
    public void Keys_used_indexes_and_withheld_notices_survive_a_restore()
    {
        Keys.Store(KeyFromAlice(Room));
        var message = Event("$1", "over");
        Keys.Decrypt(Room, message);
        Keys.ReceiveWithheld(new JsonObject { ["room_id"] = OtherRoom, ["session_id"] = "lost", ["code"] = "m.no_olm" });
        var changes = new CryptoChanges { UserId = Bob, DeviceId = "PHONE" };
        Keys.TakeChanges(changes);
        var metadata = new JsonObject();
        Keys.WriteMetadata(metadata);

        var restored = new InboundRoomKeys(Bob, _bob.Identities);
        restored.Restore(changes.RoomKeys.Select(k => (k.Key.RoomId, k.Key.SenderUserId, k.Key.SenderCurve25519Key, k.Key.SenderClaimedEd25519Key, k.State)),
            changes.ReplayEntries, metadata);

        Assert.True(restored.Has(Room, _session.SessionId));
        Assert.Equal("over", restored.Decrypt(Room, message).Content["body"]!.GetValue<string>());
        Assert.Equal(CryptoError.ReplayedMessage, ErrorOf(() => restored.Decrypt(Room, With(message, eventId: "$2"))));
        Assert.Equal(CryptoError.RoomKeyWithheld, ErrorOf(() => restored.Decrypt(OtherRoom, With(Event("$9", "x", OtherRoom), sessionId: "lost"))));
    }
}
