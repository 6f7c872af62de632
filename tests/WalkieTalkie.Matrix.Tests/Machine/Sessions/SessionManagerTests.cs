using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Machine.Sessions;

namespace WalkieTalkie.Matrix.Tests.Machine.Sessions;

/// <summary><see cref="SessionManager"/> on its own, answered by hand: claims, Olm sessions, to-device encryption and
/// decryption, unwedging.</summary>
public sealed class SessionManagerTests
{
    private const string Alice = "@walkie-anna:example.org", Bob = "@parent:example.org";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-05T10:00:00Z"));
    private readonly DeviceParts _alice;
    private readonly DeviceParts _bob;

    public SessionManagerTests()
    {
        _alice = new DeviceParts(Alice, "BADGE1", _time);
        _bob = new DeviceParts(Bob, "PHONE", _time);
    }

    /// <summary><paramref name="who"/> queries <paramref name="whom"/>'s device list; returns the device as it knows it.</summary>
    private static DeviceKeysInfo Know(DeviceParts who, DeviceParts whom)
    {
        who.Identities.Track(whom.UserId);
        who.Identities.MarkOutdated(whom.UserId);
        who.Identities.QueryOutdatedUsers();
        who.AnswerQuery(who.Requests.Queued().OfType<KeysQueryRequest>().Single(), whom);
        return who.Identities.GetDevice(whom.UserId, whom.DeviceId)!;
    }

    private static JsonObject Sent(DeviceParts sender, JsonObject content) =>
        new() { ["type"] = "m.room.encrypted", ["sender"] = sender.UserId, ["content"] = content };

    private DeviceKeysInfo SessionFromAliceToBob()
    {
        var bobDevice = Know(_alice, _bob);
        _alice.AnswerClaim(Assert.Single(_alice.Sessions.ClaimFor([bobDevice])), _bob);
        return bobDevice;
    }

    [Fact]
    public void A_claimed_one_time_key_starts_a_session_whose_messages_the_peer_takes_in_only_on_commit()
    {
        var bobDevice = Know(_alice, _bob);
        Assert.False(_alice.Sessions.HasSession(bobDevice));
        var claim = Assert.IsType<KeysClaimRequest>(Assert.Single(_alice.Sessions.ClaimFor([bobDevice])));
        Assert.Equal(new OutgoingRequest[] { claim }, _alice.Sessions.ClaimFor([bobDevice])); // one claim in flight per device
        _alice.AnswerClaim(claim, _bob);
        Assert.True(_alice.Sessions.HasSession(bobDevice));

        var toDevice = Sent(_alice, _alice.Sessions.EncryptToDevice(bobDevice, "m.walkie.test", new JsonObject { ["n"] = 1 }));
        _bob.Sessions.DecryptToDevice(toDevice); // not committed: nothing changed
        Assert.False(_bob.Sessions.HasChanges);
        var (decrypted, commit) = _bob.Sessions.DecryptToDevice(toDevice);
        Assert.Equal("m.walkie.test", decrypted.Type);
        Assert.Equal(1, decrypted.Content["n"]!.GetValue<int>());
        Assert.Equal(Alice, decrypted.Sender);
        Assert.Equal("BADGE1", decrypted.SenderDevice?.DeviceId); // from sender_device_keys: Bob has not queried Alice
        Assert.False(_bob.Sessions.HasSession(_alice.Device));

        commit();
        Assert.True(_bob.Sessions.HasSession(_alice.Device));
        var changes = new CryptoChanges { UserId = Bob, DeviceId = "PHONE" };
        _bob.Sessions.TakeChanges(changes);
        Assert.Equal(_alice.Account.Curve25519Key, Assert.Single(changes.OlmSessions).SenderKey);
        Assert.Throws<MatrixCryptoException>(() => _bob.Sessions.DecryptToDevice(toDevice)); // its message key is used

        // The session that received is the one Bob answers over.
        var reply = Sent(_bob, _bob.Sessions.EncryptToDevice(_alice.Device, "m.walkie.test", new JsonObject { ["n"] = 2 }));
        var (answer, _) = _alice.Sessions.DecryptToDevice(reply);
        Assert.Equal(2, answer.Content["n"]!.GetValue<int>());
    }

    [Fact]
    public void A_device_without_a_key_to_claim_is_marked_no_olm_until_its_keys_come_again()
    {
        var bobDevice = Know(_alice, _bob);
        _alice.Answer(Assert.Single(_alice.Sessions.ClaimFor([bobDevice])), new JsonObject { ["one_time_keys"] = new JsonObject() });
        Assert.True(_alice.Sessions.HasNoOlm(bobDevice));
        Assert.False(_alice.Sessions.HasSession(bobDevice));
        var metadata = new JsonObject();
        _alice.Sessions.WriteMetadata(metadata);
        Assert.Equal($"[[\"{Bob}\",\"PHONE\"]]", metadata["no_olm"]!.ToJsonString());

        Know(_alice, _bob);
        Assert.False(_alice.Sessions.HasNoOlm(bobDevice));
    }

    [Fact]
    public void A_claimed_key_another_device_signed_starts_no_session()
    {
        var bobDevice = Know(_alice, _bob);
        var stranger = new DeviceParts(Bob, "PHONE", _time); // same ids, other keys
        _alice.AnswerClaim(Assert.Single(_alice.Sessions.ClaimFor([bobDevice])), stranger);
        Assert.False(_alice.Sessions.HasSession(bobDevice));
        Assert.True(_alice.Sessions.HasNoOlm(bobDevice));
    }

    [Fact]
    public void A_wedged_device_gets_a_new_session_and_m_dummy_at_most_once_an_hour()
    {
        Know(_bob, _alice);
        _bob.Sessions.ScheduleUnwedge(Alice, _alice.Account.Curve25519Key);
        _bob.Sessions.ClaimForUnwedging();
        var claim = Assert.IsType<KeysClaimRequest>(Assert.Single(_bob.Requests.Queued()));
        _bob.AnswerClaim(claim, _alice);

        var dummy = Assert.IsType<ToDeviceRequest>(Assert.Single(_bob.Requests.Queued()));
        Assert.Equal("m.room.encrypted", dummy.EventType);
        var (decrypted, _) = _alice.Sessions.DecryptToDevice(_bob.ToDeviceEventFor(dummy, _alice));
        Assert.Equal("m.dummy", decrypted.Type);
        _bob.Answer(dummy, new JsonObject());

        _time.Advance(TimeSpan.FromMinutes(59));
        _bob.Sessions.ScheduleUnwedge(Alice, _alice.Account.Curve25519Key);
        _bob.Sessions.ClaimForUnwedging();
        Assert.Empty(_bob.Requests.Queued());

        _time.Advance(TimeSpan.FromMinutes(2));
        _bob.Sessions.ScheduleUnwedge(Alice, _alice.Account.Curve25519Key);
        _bob.Sessions.ClaimForUnwedging();
        Assert.IsType<KeysClaimRequest>(Assert.Single(_bob.Requests.Queued()));
    }

    [Fact]
    public void Unwedging_an_unknown_device_queries_its_owner_first_and_gives_up_when_the_device_is_not_there()
    {
        _bob.Sessions.ScheduleUnwedge(Alice, _alice.Account.Curve25519Key);
        _bob.Identities.QueryOutdatedUsers();
        var query = Assert.IsType<KeysQueryRequest>(Assert.Single(_bob.Requests.Queued()));
        Assert.Equal(new[] { Alice }, query.Users);
        _bob.AnswerQuery(query, _alice);
        _bob.Sessions.ClaimForUnwedging();
        Assert.IsType<KeysClaimRequest>(Assert.Single(_bob.Requests.Queued()));

        var carol = new DeviceParts("@carol:example.org", "TABLET", _time);
        _bob.Sessions.ScheduleUnwedge(carol.UserId, carol.Account.Curve25519Key);
        _bob.Identities.QueryOutdatedUsers();
        _bob.AnswerQuery(_bob.Requests.Queued().OfType<KeysQueryRequest>().Single()); // no devices listed
        _bob.Sessions.ClaimForUnwedging();
        Assert.Single(_bob.Requests.Queued()); // still only Alice's claim
    }

    [Fact]
    public void Sessions_and_no_olm_marks_survive_a_restore()
    {
        var bobDevice = SessionFromAliceToBob();
        var carol = new DeviceParts("@carol:example.org", "TABLET", _time);
        var carolDevice = Know(_alice, carol);
        _alice.Answer(Assert.Single(_alice.Sessions.ClaimFor([carolDevice])), new JsonObject());
        var changes = new CryptoChanges { UserId = Alice, DeviceId = "BADGE1" };
        _alice.Sessions.TakeChanges(changes);
        Assert.False(_alice.Sessions.HasChanges);
        var metadata = new JsonObject();
        _alice.Sessions.WriteMetadata(metadata);

        var restored = new SessionManager(Alice, _alice.OwnAccount, _alice.Identities, _alice.Requests, _time);
        restored.Restore(changes.OlmSessions.Select(s => (s.SenderKey, s.State)), metadata);

        Assert.True(restored.HasNoOlm(carolDevice));
        var (decrypted, _) = _bob.Sessions.DecryptToDevice(Sent(_alice, restored.EncryptToDevice(bobDevice, "m.walkie.test", new JsonObject())));
        Assert.Equal("m.walkie.test", decrypted.Type);
    }

    [Theory]
    [InlineData("sender")]
    [InlineData("recipient")]
    [InlineData("recipient_keys")]
    [InlineData("keys")]
    [InlineData("known_device")]
    [InlineData("sender_device_keys")]
    public void The_payload_checks_refuse_what_does_not_match(string broken)
    {
        var payload = new JsonObject
        {
            ["type"] = "m.walkie.test",
            ["content"] = new JsonObject(),
            ["sender"] = Alice,
            ["recipient"] = Bob,
            ["keys"] = new JsonObject { ["ed25519"] = _alice.Account.Ed25519Key },
            ["recipient_keys"] = new JsonObject { ["ed25519"] = _bob.Account.Ed25519Key },
            ["sender_device_keys"] = _alice.Identities.OwnDeviceKeys(),
        };
        DecryptedToDeviceEvent Run(DeviceKeysInfo? known) =>
            OlmPayloadCheck.Run(payload, Alice, _alice.Account.Curve25519Key, Bob, _bob.Account.Ed25519Key, known);
        Assert.Equal("BADGE1", Run(_alice.Device).SenderDevice?.DeviceId);

        var other = new DeviceParts(Alice, "BADGE1", _time);
        var known = _alice.Device;
        switch (broken)
        {
            case "sender": payload["sender"] = "@mallory:example.org"; break;
            case "recipient": payload["recipient"] = "@carol:example.org"; break;
            case "recipient_keys": payload["recipient_keys"] = new JsonObject { ["ed25519"] = other.Account.Ed25519Key }; break;
            case "keys": payload.Remove("keys"); break;
            case "known_device": known = other.Device; break;
            case "sender_device_keys": payload["sender_device_keys"] = other.Identities.OwnDeviceKeys(); break;
        }

        var error = Assert.Throws<MatrixCryptoException>(() => Run(known));
        Assert.Equal(CryptoError.PayloadCheckFailed, error.Error);
    }
}
