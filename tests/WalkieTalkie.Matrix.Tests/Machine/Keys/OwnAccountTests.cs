using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Machine.Keys;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Tests.Machine.Keys;

/// <summary><see cref="OwnAccount"/> on its own: what it uploads, when, and what it remembers.</summary>
public sealed class OwnAccountTests
{
    private const string User = "@walkie-anna:example.org", Device = "BADGE1";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-05T10:00:00Z"));
    private readonly PendingRequests _requests = new();
    private readonly OlmAccount _olm = OlmAccount.Create();
    private readonly OwnAccount _account;

    public OwnAccountTests() => _account = new OwnAccount(User, Device, _olm, isNew: true, _time, _requests);

    private KeysUploadRequest PlannedUpload()
    {
        _account.PlanKeysUpload();
        return Assert.IsType<KeysUploadRequest>(Assert.Single(_requests.Queued()));
    }

    private void Uploaded(KeysUploadRequest upload, int serverCount) => Assert.True(_requests.Complete(upload.RequestId,
        new JsonObject { ["one_time_key_counts"] = new JsonObject { ["signed_curve25519"] = serverCount } }));

    private static JsonObject Body(OutgoingRequest request) => JsonNode.Parse(request.BodyJson)!.AsObject();

    [Fact]
    public void A_new_account_uploads_its_device_keys_fifty_one_time_keys_and_a_fallback_key_once()
    {
        var upload = PlannedUpload();
        var body = Body(upload);
        Assert.Equal(_olm.Ed25519Key, body["device_keys"]!["keys"]!["ed25519:" + Device]!.GetValue<string>());
        Assert.Equal(OlmAccount.MaxServerOneTimeKeys, body["one_time_keys"]!.AsObject().Count);
        Assert.Single(body["fallback_keys"]!.AsObject());

        Assert.Same(upload, PlannedUpload()); // in flight: planned again, not twice
        Uploaded(upload, OlmAccount.MaxServerOneTimeKeys);
        _account.PlanKeysUpload();
        Assert.Empty(_requests.Queued());
    }

    [Fact]
    public void One_time_keys_are_topped_up_to_fifty_when_fewer_than_twenty_six_are_left()
    {
        Uploaded(PlannedUpload(), OlmAccount.MaxServerOneTimeKeys);

        _account.ReceiveKeyCounts(new Dictionary<string, long> { ["signed_curve25519"] = 26 }, ["signed_curve25519"]);
        _account.PlanKeysUpload();
        Assert.Empty(_requests.Queued());

        _account.ReceiveKeyCounts(new Dictionary<string, long> { ["signed_curve25519"] = 25 }, ["signed_curve25519"]);
        var body = Body(PlannedUpload());
        Assert.Equal(25, body["one_time_keys"]!.AsObject().Count);
        Assert.Null(body["device_keys"]);
        Assert.Null(body["fallback_keys"]);
    }

    [Fact]
    public void A_used_fallback_key_is_replaced_but_not_on_a_sync_older_than_the_upload()
    {
        var first = PlannedUpload();
        // A sync computed before the upload landed does not list the key yet: not a sign that it was used.
        _account.ReceiveKeyCounts(null, []);
        Uploaded(first, OlmAccount.MaxServerOneTimeKeys);
        _account.PlanKeysUpload();
        Assert.Empty(_requests.Queued());

        _account.ReceiveKeyCounts(null, []); // used since
        var body = Body(PlannedUpload());
        Assert.Single(body["fallback_keys"]!.AsObject());
        Assert.Null(body["one_time_keys"]);
    }

    [Fact]
    public void An_unused_fallback_key_is_replaced_after_a_week_and_the_previous_one_forgotten_an_hour_after_that()
    {
        Uploaded(PlannedUpload(), OlmAccount.MaxServerOneTimeKeys);
        _time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        _account.ReceiveKeyCounts(null, ["signed_curve25519"]);
        var replacement = PlannedUpload();
        Assert.Single(Body(replacement)["fallback_keys"]!.AsObject());
        Uploaded(replacement, OlmAccount.MaxServerOneTimeKeys);
        Assert.True(_olm.HasPreviousFallbackKey);

        _time.Advance(TimeSpan.FromMinutes(59));
        _account.ReceiveKeyCounts(null, ["signed_curve25519"]);
        Assert.True(_olm.HasPreviousFallbackKey); // messages to the old key may still be on the way

        _time.Advance(TimeSpan.FromMinutes(2));
        _account.ReceiveKeyCounts(null, ["signed_curve25519"]);
        Assert.False(_olm.HasPreviousFallbackKey);
    }

    [Fact]
    public void A_failed_upload_is_planned_again_under_a_new_id()
    {
        var upload = PlannedUpload();
        Assert.True(_requests.Fail(upload.RequestId));
        var again = PlannedUpload();
        Assert.NotEqual(upload.RequestId, again.RequestId);
        Assert.NotNull(Body(again)["device_keys"]);
    }

    [Fact]
    public void The_account_is_in_the_changes_when_it_changed_and_the_upload_state_survives_a_restore()
    {
        Assert.True(_account.HasChanges); // new
        var changes = new CryptoChanges { UserId = User, DeviceId = Device };
        _account.TakeChanges(changes);
        Assert.NotNull(changes.Account);
        Assert.False(_account.HasChanges);

        Uploaded(PlannedUpload(), OlmAccount.MaxServerOneTimeKeys);
        Assert.True(_account.HasChanges); // keys generated and published
        var metadata = new JsonObject();
        _account.WriteMetadata(metadata);

        var restoredRequests = new PendingRequests();
        var restored = new OwnAccount(User, Device, _olm, isNew: false, _time, restoredRequests);
        Assert.False(restored.HasChanges);
        restored.ReadMetadata(metadata);
        restored.PlanKeysUpload();
        Assert.Empty(restoredRequests.Queued()); // device keys are on the server, fifty one-time keys too
    }
}
