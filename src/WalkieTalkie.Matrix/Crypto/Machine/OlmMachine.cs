using System.Text.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.CrossSigning;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>The sans-I/O end-to-end encryption machine for one of our devices, after matrix-rust-sdk's OlmMachine.
/// Sync data goes in (<see cref="ReceiveSyncChanges"/>); typed HTTP requests come out (<see cref="OutgoingRequests"/>,
/// <see cref="ShareRoomKey"/>, <see cref="BootstrapCrossSigning"/>); the caller performs them and reports each response
/// with <see cref="MarkRequestAsSent"/>. It never does I/O and is not thread-safe: drive it from one task.
/// <para>Persistence: <see cref="TakeChanges"/> returns what changed since the last call, for the key store to write in
/// one transaction with the sync token. Save before sending anything it produced (Olm and Megolm ratchets moved).</para></summary>
public sealed partial class OlmMachine
{
    private const string OlmAlgorithm = "m.olm.v1.curve25519-aes-sha2";
    private const string MegolmAlgorithm = "m.megolm.v1.aes-sha2";
    private const string SignedCurve25519 = "signed_curve25519";

    private readonly TimeProvider _time;
    private readonly Dictionary<string, PendingRequest> _pending = new();

    private OlmMachine(string userId, string deviceId, OlmAccount account, TimeProvider? time)
    {
        UserId = userId;
        DeviceId = deviceId;
        Account = account;
        _time = time ?? TimeProvider.System;
        ReplayGuard = new MegolmReplayGuard();
        _devices[(userId, deviceId)] = new DeviceKeysInfo(userId, deviceId, account.Curve25519Key, account.Ed25519Key, account.DeviceKeys(userId, deviceId));
    }

    /// <summary>A machine with a new Olm account for a new device (a lost device is replaced, never re-keyed).</summary>
    public static OlmMachine Create(string userId, string deviceId, TimeProvider? time = null)
    {
        var machine = new OlmMachine(userId, deviceId, OlmAccount.Create(), time);
        machine._accountDirty = machine._metadataDirty = true;
        return machine;
    }

    /// <summary>Our user.</summary>
    public string UserId { get; }
    /// <summary>Our device.</summary>
    public string DeviceId { get; }
    /// <summary>Our device's Curve25519 identity key.</summary>
    public string Curve25519Key => Account.Curve25519Key;
    /// <summary>Our device's Ed25519 fingerprint key.</summary>
    public string Ed25519Key => Account.Ed25519Key;

    internal OlmAccount Account { get; }
    internal MegolmReplayGuard ReplayGuard { get; }
    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Our signed <c>device_keys</c> object (with the self-signing signature once cross-signing is bootstrapped).</summary>
    public JsonObject DeviceKeys() => (JsonObject)_devices[(UserId, DeviceId)].DeviceKeys.DeepClone();

    /// <summary>Feeds one sync response in: device list changes, one-time key counts, unused fallback key types, and the
    /// to-device events (decrypted, checked, room keys stored). One entry per to-device event comes back, in order.
    /// Bad events are reported, never thrown.</summary>
    public IReadOnlyList<ProcessedToDeviceEvent> ReceiveSyncChanges(SyncChanges changes)
    {
        foreach (var user in changes.LeftUsers)
        {
            Untrack(user);
        }

        foreach (var user in changes.ChangedUsers)
        {
            MarkOutdated(user);
        }

        ReceiveKeyCounts(changes.OneTimeKeyCounts, changes.UnusedFallbackKeyTypes);
        var results = new List<ProcessedToDeviceEvent>(changes.ToDeviceEvents.Count);
        foreach (var toDevice in changes.ToDeviceEvents)
        {
            results.Add(ProcessToDeviceEvent(toDevice));
        }

        return results;
    }

    /// <summary>The requests the machine wants performed now: key upload (device keys, one-time key top-up, fallback
    /// key), device list queries for outdated tracked users, key claims for unwedging, and queued to-device messages
    /// (<c>m.dummy</c>, <c>m.room_key.withheld</c>). Requests not yet reported come back again with the same id.</summary>
    public IReadOnlyList<OutgoingRequest> OutgoingRequests()
    {
        PlanKeysUpload();
        var outdated = _tracked.Where(t => t.Value.Outdated).Select(t => t.Key).ToList();
        if (outdated.Count > 0)
        {
            QueriesFor(outdated);
        }

        var toClaim = _unwedgeClaims.Where(id => !_claimInFlight.ContainsKey(id)).Select(id => _devices.GetValueOrDefault(id)).OfType<DeviceKeysInfo>().ToList();
        if (toClaim.Count > 0)
        {
            ClaimFor(toClaim);
        }

        return _pending.Values.Where(p => p.InOutgoingQueue).Select(p => p.Request).ToList();
    }

    /// <summary>Reports the response body of a request performed with success (2xx). Unknown ids are ignored and give false.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.InvalidJson"/> when the response is not a JSON
    /// object; the request then stays pending.</exception>
    public bool MarkRequestAsSent(string requestId, string responseJson)
    {
        if (!_pending.TryGetValue(requestId, out var pending))
        {
            return false;
        }

        JsonObject response;
        try
        {
            response = JsonNode.Parse(string.IsNullOrWhiteSpace(responseJson) ? "{}" : responseJson) as JsonObject
                ?? throw new MatrixCryptoException(CryptoError.InvalidJson, "the response is not a JSON object");
        }
        catch (JsonException)
        {
            throw new MatrixCryptoException(CryptoError.InvalidJson, "the response is not JSON");
        }
        _pending.Remove(requestId);
        pending.OnSent(response);
        _metadataDirty = true;
        return true;
    }

    /// <summary>Reports that a request was given up (a 4xx, or retries exhausted). What it was for is planned again later
    /// under a new id. Unknown ids give false.</summary>
    public bool MarkRequestAsFailed(string requestId)
    {
        if (!_pending.Remove(requestId, out var pending))
        {
            return false;
        }

        pending.OnFailed();
        return true;
    }

    private T Register<T>(T request, Action<JsonObject> onSent, Action? onFailed = null, bool inOutgoingQueue = true) where T : OutgoingRequest
    {
        _pending[request.RequestId] = new PendingRequest(request, onSent, onFailed ?? (() => { }), inOutgoingQueue);
        return request;
    }

    private static string NewRequestId() => Guid.NewGuid().ToString("N");

    private static MatrixCryptoException Invalid(string why) => new(CryptoError.InvalidJson, why);
    private static MatrixCryptoException Check(string why) => new(CryptoError.PayloadCheckFailed, why);

    private sealed record PendingRequest(OutgoingRequest Request, Action<JsonObject> OnSent, Action OnFailed, bool InOutgoingQueue);
}
