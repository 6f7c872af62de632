using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Machine.GroupSessions;
using WalkieTalkie.Matrix.Crypto.Machine.Identities;
using WalkieTalkie.Matrix.Crypto.Machine.Keys;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Machine.Sessions;
using WalkieTalkie.Matrix.Crypto.Olm;
using static WalkieTalkie.Matrix.Crypto.Machine.MachineInput;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>The sans-I/O end-to-end encryption machine for one of our devices, after matrix-rust-sdk's OlmMachine.
/// Sync data goes in (<see cref="ReceiveSyncChanges"/>); typed HTTP requests come out (<see cref="OutgoingRequests"/>,
/// <see cref="ShareRoomKey"/>, <see cref="BootstrapCrossSigning"/>); the caller performs them and reports each response
/// with <see cref="MarkRequestAsSent"/>. It never does I/O and is not thread-safe: drive it from one task.
/// <para>It is a front over parts that own their state: <see cref="OwnAccount"/> (our keys on the server),
/// <see cref="IdentityManager"/> (device lists, cross-signing), <see cref="SessionManager"/> (Olm sessions, to-device
/// encryption), <see cref="GroupSessionManager"/> (our Megolm sessions, sharing, rotation) and
/// <see cref="InboundRoomKeys"/> (room keys received, room event decryption). It routes sync data to them and collects
/// their requests and changes.</para>
/// <para>Persistence: <see cref="TakeChanges"/> returns what changed since the last call, for the key store to write in
/// one transaction with the sync token. Save before sending anything it produced (Olm and Megolm ratchets moved).</para></summary>
public sealed class OlmMachine
{
    private readonly PendingRequests _requests = new();
    private readonly OwnAccount _ownAccount;
    private readonly IdentityManager _identities;
    private readonly SessionManager _sessions;
    private readonly InboundRoomKeys _roomKeys;
    private readonly GroupSessionManager _groupSessions;
    /// <summary>A new machine, or a request answered since the last save: its response may have changed any part's
    /// metadata (tracked users, devices, sharing marks).</summary>
    private bool _metadataChanged;

    private OlmMachine(string userId, string deviceId, OlmAccount account, bool isNew, TimeProvider? time)
    {
        UserId = userId;
        DeviceId = deviceId;
        var clock = time ?? TimeProvider.System;
        _ownAccount = new OwnAccount(userId, deviceId, account, isNew, clock, _requests);
        _identities = new IdentityManager(userId, deviceId, account, _requests);
        _sessions = new SessionManager(userId, _ownAccount, _identities, _requests, clock);
        _roomKeys = new InboundRoomKeys(userId, _identities);
        _groupSessions = new GroupSessionManager(userId, deviceId, account, _identities, _sessions, _roomKeys, _requests, clock);
        _metadataChanged = isNew;
    }

    /// <summary>A machine with a new Olm account for a new device (a lost device is replaced, never re-keyed).</summary>
    public static OlmMachine Create(string userId, string deviceId, TimeProvider? time = null) =>
        new(userId, deviceId, OlmAccount.Create(), isNew: true, time);

    /// <summary>Our user.</summary>
    public string UserId { get; }
    /// <summary>Our device.</summary>
    public string DeviceId { get; }
    /// <summary>Our device's Curve25519 identity key.</summary>
    public string Curve25519Key => Account.Curve25519Key;
    /// <summary>Our device's Ed25519 fingerprint key.</summary>
    public string Ed25519Key => Account.Ed25519Key;

    internal OlmAccount Account => _ownAccount.Account;

    /// <summary>Our signed <c>device_keys</c> object (with the self-signing signature once cross-signing is bootstrapped).</summary>
    public JsonObject DeviceKeys() => _identities.OwnDeviceKeys();

    /// <summary>Feeds one sync response in: device list changes, one-time key counts, unused fallback key types, and the
    /// to-device events (decrypted, checked, room keys stored). One entry per to-device event comes back, in order.
    /// Bad events are reported, never thrown.</summary>
    public IReadOnlyList<ProcessedToDeviceEvent> ReceiveSyncChanges(SyncChanges changes)
    {
        foreach (var user in changes.LeftUsers)
        {
            _identities.Untrack(user);
        }

        foreach (var user in changes.ChangedUsers)
        {
            _identities.MarkOutdated(user);
        }

        _ownAccount.ReceiveKeyCounts(changes.OneTimeKeyCounts, changes.UnusedFallbackKeyTypes);
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
        _ownAccount.PlanKeysUpload();
        _identities.QueryOutdatedUsers();
        _sessions.ClaimForUnwedging();
        return _requests.Queued();
    }

    /// <summary>Reports the response body of a request performed with success (2xx). Unknown ids are ignored and give false.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.InvalidJson"/> when the response is not a JSON
    /// object; the request then stays pending.</exception>
    public bool MarkRequestAsSent(string requestId, string responseJson)
    {
        if (!_requests.Contains(requestId))
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
        _requests.Complete(requestId, response);
        _metadataChanged = true;
        return true;
    }

    /// <summary>Reports that a request was given up (a 4xx, or retries exhausted). What it was for is planned again later
    /// under a new id. Unknown ids give false.</summary>
    public bool MarkRequestAsFailed(string requestId) => _requests.Fail(requestId);

    /// <summary>Starts tracking the device lists of these users (room members); their keys are queried next.</summary>
    public void UpdateTrackedUsers(IEnumerable<string> userIds)
    {
        foreach (var user in userIds)
        {
            _identities.Track(user);
        }
    }

    /// <summary>The users whose device lists we follow.</summary>
    public IReadOnlyCollection<string> TrackedUsers => _identities.TrackedUsers;

    /// <summary>A device we know (checked self-signature), if any.</summary>
    public DeviceKeysInfo? GetDevice(string userId, string deviceId) => _identities.GetDevice(userId, deviceId);

    /// <summary>The devices we know of a user.</summary>
    public IReadOnlyList<DeviceKeysInfo> GetDevices(string userId) => _identities.DevicesOf(userId).ToList();

    /// <summary>A user's checked cross-signing keys, if any.</summary>
    public UserIdentity? GetUserIdentity(string userId) => _identities.GetUserIdentity(userId);

    /// <summary>True when the device is signed by its owner's self-signing key, and that key by the owner's master key.</summary>
    public bool IsCrossSigned(DeviceKeysInfo device) => _identities.IsCrossSigned(device);

    /// <summary>True once our cross-signing keys and our device's signature were reported uploaded.</summary>
    public bool IsCrossSigningBootstrapped => _identities.IsCrossSigningBootstrapped;

    /// <summary>Gives our user a cross-signing identity (master, self-signing, user-signing keys) and signs our device
    /// with it, as Element requires (an unsigned device gets no room keys and its messages are refused). The identity
    /// is created once and then kept: calling again returns the same keys, never new ones. Returns two requests to
    /// perform in order: <see cref="DeviceSigningUploadRequest"/> (which may need user-interactive auth: the caller
    /// adds <c>auth</c> and retries), then <see cref="SignatureUploadRequest"/>.</summary>
    public IReadOnlyList<OutgoingRequest> BootstrapCrossSigning() => _identities.BootstrapCrossSigning();

    /// <summary>Makes sure every device of <paramref name="userIds"/> (the room's members) that may have it gets our
    /// room key, rotating the session when its policy says so or when a device that had it is no longer a recipient.
    /// Returns the next requests to perform: key queries first, then key claims, then the to-device messages
    /// (<c>m.room_key</c> over Olm, <c>m.room_key.withheld</c>). Perform them, report each with
    /// <see cref="MarkRequestAsSent"/>, and call again until it returns nothing; then <see cref="EncryptRoomEvent"/>.
    /// Save the machine's changes before sending the to-device requests.</summary>
    public IReadOnlyList<OutgoingRequest> ShareRoomKey(string roomId, IEnumerable<string> userIds, EncryptionSettings? settings = null) =>
        _groupSessions.ShareRoomKey(roomId, userIds, settings ?? EncryptionSettings.Default);

    /// <summary>Encrypts a room event with the room's Megolm session; returns the <c>m.room.encrypted</c> content JSON
    /// (algorithm, sender_key, device_id, session_id, ciphertext, and the event's <c>m.relates_to</c> in the clear). Call <see cref="ShareRoomKey"/> first, every time:
    /// it rotates the session when due.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.UnknownSession"/> when the room has no current session
    /// (not shared yet, or due for rotation); <see cref="CryptoError.InvalidJson"/> for content that is not a JSON object.</exception>
    public string EncryptRoomEvent(string roomId, string eventType, string contentJson) =>
        _groupSessions.EncryptRoomEvent(roomId, eventType, contentJson);

    /// <summary>Drops the room's outbound session, so the next <see cref="ShareRoomKey"/> starts a new one (history
    /// visibility or encryption settings changed).</summary>
    public void DiscardRoomKey(string roomId) => _groupSessions.DiscardRoomKey(roomId);

    /// <summary>Decrypts a timeline event of type <c>m.room.encrypted</c> (a sync's timeline event, which has no
    /// <c>room_id</c>, hence <paramref name="roomId"/>). The session is found by (room, session id) only; the plaintext's
    /// <c>room_id</c>, the event's sender against the user that gave us the key, and the (session, index) against
    /// replays are checked.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.UnknownSession"/> (key not here yet: retry when a
    /// key arrives), <see cref="CryptoError.RoomKeyWithheld"/>, <see cref="CryptoError.ReplayedMessage"/>,
    /// <see cref="CryptoError.PayloadCheckFailed"/>, <see cref="CryptoError.InvalidJson"/>, and Megolm errors.</exception>
    public DecryptedRoomEvent DecryptRoomEvent(string roomId, string eventJson) => _roomKeys.Decrypt(roomId, eventJson);

    /// <summary>Like <see cref="DecryptRoomEvent(string, string)"/> for an event that carries its <c>room_id</c>.</summary>
    public DecryptedRoomEvent DecryptRoomEvent(string eventJson)
    {
        var roomId = JsonRead.String(ParseObject(Encoding.UTF8.GetBytes(eventJson), "room event")["room_id"])
            ?? throw Invalid("the event has no room_id: pass it");
        return DecryptRoomEvent(roomId, eventJson);
    }

    /// <summary>True when we hold a room key for the session.</summary>
    public bool HasRoomKey(string roomId, string sessionId) => _roomKeys.Has(roomId, sessionId);

    /// <summary>True when something changed since the last <see cref="TakeChanges"/>.</summary>
    public bool HasChanges => _metadataChanged || _ownAccount.HasChanges || _identities.HasChanges || _sessions.HasChanges
        || _roomKeys.HasChanges || _groupSessions.HasChanges;

    /// <summary>Everything that changed since the last call, as a snapshot (later changes do not leak into it).</summary>
    public CryptoChanges TakeChanges()
    {
        var metadata = new JsonObject();
        _ownAccount.WriteMetadata(metadata);
        _identities.WriteMetadata(metadata);
        _groupSessions.WriteMetadata(metadata);
        _roomKeys.WriteMetadata(metadata);
        _sessions.WriteMetadata(metadata);
        var changes = new CryptoChanges { UserId = UserId, DeviceId = DeviceId, Metadata = Encoding.UTF8.GetBytes(metadata.ToJsonString()) };
        _ownAccount.TakeChanges(changes);
        _identities.TakeChanges(changes);
        _sessions.TakeChanges(changes);
        _roomKeys.TakeChanges(changes);
        _groupSessions.TakeChanges(changes);
        _metadataChanged = false;
        return changes;
    }

    internal static OlmMachine Restore(string userId, string deviceId, MachineState state, TimeProvider? time)
    {
        var machine = new OlmMachine(userId, deviceId, OlmAccount.FromStateBytes(state.Account), isNew: false, time);
        var metadata = JsonNode.Parse(state.Metadata) as JsonObject
            ?? throw new MatrixCryptoException(CryptoError.CorruptState, "saved machine metadata is not a JSON object");
        machine._ownAccount.ReadMetadata(metadata);
        machine._identities.Restore(state.CrossSigning, metadata);
        machine._sessions.Restore(state.OlmSessions, metadata);
        machine._roomKeys.Restore(state.RoomKeys, state.ReplayEntries, metadata);
        machine._groupSessions.Restore(state.OutboundSessions, metadata);
        return machine;
    }

    private ProcessedToDeviceEvent ProcessToDeviceEvent(JsonObject toDevice)
    {
        var type = JsonRead.String(toDevice["type"]) ?? "";
        var sender = JsonRead.String(toDevice["sender"]) ?? "";
        var content = toDevice["content"] as JsonObject ?? new JsonObject();
        if (type != "m.room.encrypted")
        {
            return ProcessPlaintext(type, sender, content);
        }

        try
        {
            var (decrypted, commit) = _sessions.DecryptToDevice(toDevice);
            // A bad room key is refused before the Olm session and one-time key change.
            var roomKey = decrypted.Type == "m.room_key" ? RoomKey.FromRoomKeyEvent(decrypted) : null;
            commit();
            if (roomKey is not null)
            {
                _roomKeys.Store(roomKey);
            }

            return ProcessDecrypted(decrypted);
        }
        catch (MatrixCryptoException e)
        {
            if (e.Error is CryptoError.BadMac or CryptoError.UnknownSession or CryptoError.UnknownOneTimeKey
                && JsonRead.String(content["sender_key"]) is { } senderKey)
            {
                _sessions.ScheduleUnwedge(sender, senderKey);
            }

            return new ProcessedToDeviceEvent(ToDeviceOutcome.Failed, type, sender, content, JsonRead.String(content["sender_key"]), Error: e.Message);
        }
    }

    private ProcessedToDeviceEvent ProcessPlaintext(string type, string sender, JsonObject content)
    {
        switch (type)
        {
            case "m.room_key" or "m.forwarded_room_key":
                return new ProcessedToDeviceEvent(ToDeviceOutcome.Refused, type, sender, content, Error: "room keys are accepted only over Olm");
            case "m.room_key.withheld":
                _roomKeys.ReceiveWithheld(content);
                break;
        }
        // m.room_key_request: ignored by policy; badges share keys only through m.room_key.
        return new ProcessedToDeviceEvent(ToDeviceOutcome.Plaintext, type, sender, content);
    }

    private static ProcessedToDeviceEvent ProcessDecrypted(DecryptedToDeviceEvent decrypted)
    {
        switch (decrypted.Type)
        {
            case "m.forwarded_room_key":
                // Forwarded keys are only acceptable from our own verified devices, and a badge's user has no other
                // devices that would forward: refuse them all rather than trust a key of unknown origin.
                return new ProcessedToDeviceEvent(ToDeviceOutcome.Refused, decrypted.Type, decrypted.Sender, decrypted.Content,
                    decrypted.SenderCurve25519Key, decrypted.SenderDevice, "forwarded room keys are not accepted");
            case "m.dummy":
                break; // its only purpose was to start a new Olm session, which is done
        }
        return new ProcessedToDeviceEvent(ToDeviceOutcome.Decrypted, decrypted.Type, decrypted.Sender, decrypted.Content,
            decrypted.SenderCurve25519Key, decrypted.SenderDevice);
    }
}
