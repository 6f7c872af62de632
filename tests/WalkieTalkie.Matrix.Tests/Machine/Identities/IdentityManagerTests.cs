using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Machine.Identities;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;

namespace WalkieTalkie.Matrix.Tests.Machine.Identities;

/// <summary><see cref="IdentityManager"/> on its own, answered by hand: device lists, identities, our cross-signing.</summary>
public sealed class IdentityManagerTests
{
    private const string Alice = "@walkie-anna:example.org", Bob = "@parent:example.org";
    private readonly FakeTimeProvider _time = new();
    private readonly DeviceParts _alice;
    private readonly DeviceParts _bobPhone;
    private readonly DeviceParts _bobLaptop;

    public IdentityManagerTests()
    {
        _alice = new DeviceParts(Alice, "BADGE1", _time);
        _bobPhone = new DeviceParts(Bob, "PHONE", _time);
        _bobLaptop = new DeviceParts(Bob, "LAPTOP", _time);
    }

    private IdentityManager Identities => _alice.Identities;

    private KeysQueryRequest QueryFor(string user)
    {
        Identities.Track(user);
        Identities.QueryOutdatedUsers();
        return Assert.IsType<KeysQueryRequest>(Assert.Single(_alice.Requests.Queued()));
    }

    [Fact]
    public void A_tracked_user_is_queried_and_their_checked_devices_are_kept()
    {
        var stored = new List<string>();
        var answered = 0;
        Identities.DeviceKeysStored += d => stored.Add(d.DeviceId);
        Identities.KeysQueryAnswered += () => answered++;
        var query = QueryFor(Bob);
        Assert.Equal(new[] { Bob }, query.Users);
        Assert.False(Identities.IsUpToDate(Bob));

        var response = DeviceParts.QueryResponse(_bobPhone, _bobLaptop);
        response["device_keys"]![Bob]!["LAPTOP"]!["keys"]!["curve25519:LAPTOP"] = _bobPhone.Account.Curve25519Key; // breaks its self-signature
        _alice.Answer(query, response);

        Assert.True(Identities.IsUpToDate(Bob));
        Assert.Equal(new[] { "PHONE" }, Identities.DevicesOf(Bob).Select(d => d.DeviceId));
        Assert.Equal(_bobPhone.Account.Ed25519Key, Identities.DeviceByCurveKey(_bobPhone.Account.Curve25519Key)?.Ed25519Key);
        Assert.Equal(new[] { "PHONE" }, stored);
        Assert.Equal(1, answered);
        Identities.QueryOutdatedUsers();
        Assert.Empty(_alice.Requests.Queued());
    }

    [Fact]
    public void A_known_device_id_keeps_its_keys_and_a_device_gone_from_the_list_is_dropped()
    {
        _alice.AnswerQuery(QueryFor(Bob), _bobPhone, _bobLaptop);
        var impostor = new DeviceParts(Bob, "PHONE", _time); // same device id, new keys

        Identities.MarkOutdated(Bob);
        Identities.QueryOutdatedUsers();
        _alice.AnswerQuery(Assert.Single(_alice.Requests.Queued()), impostor);

        Assert.Equal(_bobPhone.Account.Ed25519Key, Identities.GetDevice(Bob, "PHONE")?.Ed25519Key);
        Assert.Null(Identities.GetDevice(Bob, "LAPTOP"));
    }

    [Fact]
    public void One_query_per_user_is_in_flight_and_a_change_announced_meanwhile_makes_another()
    {
        var query = QueryFor(Bob);
        Assert.Equal(new OutgoingRequest[] { query }, Identities.QueriesFor([Bob]));

        Identities.MarkOutdated(Bob); // device_lists.changed while the query is out
        _alice.AnswerQuery(query, _bobPhone);
        Assert.False(Identities.IsUpToDate(Bob));

        Identities.QueryOutdatedUsers();
        var again = Assert.IsType<KeysQueryRequest>(Assert.Single(_alice.Requests.Queued()));
        Assert.NotEqual(query.RequestId, again.RequestId);
        _alice.AnswerQuery(again, _bobPhone);
        Assert.True(Identities.IsUpToDate(Bob));
    }

    [Fact]
    public void A_device_counts_as_cross_signed_only_through_a_self_signing_key_its_master_key_signed()
    {
        _bobPhone.CrossSign();
        _alice.AnswerQuery(QueryFor(Bob), _bobPhone);
        var phone = Identities.GetDevice(Bob, "PHONE")!;
        Assert.True(Identities.IsCrossSigned(phone));
        Assert.Equal(_bobPhone.Identities.GetUserIdentity(Bob)!.MasterKey, Identities.GetUserIdentity(Bob)?.MasterKey);

        // The same self-signing key, but the master key's signature on it replaced by another master's.
        var forged = DeviceParts.QueryResponse(_bobPhone);
        var otherMaster = new DeviceParts(Bob, "OTHER", _time);
        otherMaster.CrossSign();
        forged["self_signing_keys"]![Bob]!["signatures"] = otherMaster.CrossSigningKeys!["self_signing_key"]!["signatures"]!.DeepClone();
        Identities.MarkOutdated(Bob);
        Identities.QueryOutdatedUsers();
        _alice.Answer(Assert.Single(_alice.Requests.Queued()), forged);

        Assert.Null(Identities.GetUserIdentity(Bob)?.SelfSigningKey);
        Assert.False(Identities.IsCrossSigned(Identities.GetDevice(Bob, "PHONE")!));
    }

    [Fact]
    public void Our_cross_signing_identity_is_made_once_signs_our_device_and_the_server_cannot_swap_it()
    {
        var first = Identities.BootstrapCrossSigning();
        Assert.IsType<DeviceSigningUploadRequest>(first[0]);
        Assert.IsType<SignatureUploadRequest>(first[1]);
        var ours = Identities.GetUserIdentity(Alice)!.MasterKey;
        var second = Identities.BootstrapCrossSigning();
        Assert.Equal(ours, Identities.GetUserIdentity(Alice)!.MasterKey);
        Assert.Equal(JsonNode.Parse(first[0].BodyJson)!["master_key"]!.ToJsonString(), JsonNode.Parse(second[0].BodyJson)!["master_key"]!.ToJsonString());
        Assert.True(Identities.IsCrossSigned(Identities.GetDevice(Alice, "BADGE1")!));
        Assert.NotNull(Identities.OwnDeviceKeys()["signatures"]![Alice]!["ed25519:" + Identities.GetUserIdentity(Alice)!.SelfSigningKey]);
        Assert.False(Identities.IsCrossSigningBootstrapped);
        _alice.Answer(first[1], new JsonObject());
        Assert.True(Identities.IsCrossSigningBootstrapped);

        var impostor = new DeviceParts(Alice, "ELSEWHERE", _time);
        impostor.CrossSign();
        _alice.AnswerQuery(QueryFor(Alice), impostor);
        Assert.Equal(ours, Identities.GetUserIdentity(Alice)!.MasterKey);
    }

    [Fact]
    public void Tracked_users_devices_and_identities_survive_a_restore_and_changes_are_reported_once()
    {
        _bobPhone.CrossSign();
        Identities.BootstrapCrossSigning();
        _alice.AnswerQuery(QueryFor(Bob), _bobPhone);
        Identities.Track("@carol:example.org");
        Assert.True(Identities.HasChanges);
        var changes = new CryptoChanges { UserId = Alice, DeviceId = "BADGE1" };
        Identities.TakeChanges(changes);
        Assert.NotNull(changes.CrossSigning);
        Assert.False(Identities.HasChanges);
        var metadata = new JsonObject();
        Identities.WriteMetadata(metadata);

        var restored = new IdentityManager(Alice, "BADGE1", _alice.Account, new PendingRequests());
        restored.Restore(changes.CrossSigning, metadata);

        Assert.Equal(new[] { "@carol:example.org", Bob }, restored.TrackedUsers.Order());
        Assert.True(restored.IsUpToDate(Bob));
        Assert.False(restored.IsUpToDate("@carol:example.org"));
        Assert.True(restored.IsCrossSigned(restored.GetDevice(Bob, "PHONE")!));
        Assert.Equal(Identities.GetUserIdentity(Alice)!.MasterKey, restored.GetUserIdentity(Alice)!.MasterKey);
        Assert.Equal(Identities.OwnDeviceKeys().ToJsonString(), restored.OwnDeviceKeys().ToJsonString());
        Assert.False(restored.HasChanges);
    }
}
