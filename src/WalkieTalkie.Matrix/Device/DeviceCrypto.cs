using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Rooms;
using WalkieTalkie.Matrix.Client.Sync;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.CrossSigning;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Megolm;
using WalkieTalkie.Matrix.Crypto.Storage;
using WalkieTalkie.Matrix.Store;

namespace WalkieTalkie.Matrix.Device;

/// <summary>
/// The device's crypto side: its <see cref="OlmMachine"/> and its key store, in the device's terms (sync records in,
/// decrypted <see cref="DeviceRoomEvent"/>s out). Not thread-safe: <see cref="MatrixDevice"/> holds a lock around
/// every use. The key store (<see cref="CryptoStore"/>) is written only by <see cref="Save"/>, in one transaction with
/// the sync token.
/// </summary>
internal sealed class DeviceCrypto : IDisposable
{
    private readonly CryptoStore _store;
    private readonly StoreKey _key;
    private readonly ILogger _logger;
    private OlmMachine _machine;

    private DeviceCrypto(CryptoStore store, StoreKey key, OlmMachine machine, string? syncToken, ILogger logger)
    {
        _store = store;
        _key = key;
        _machine = machine;
        SyncToken = syncToken;
        _logger = logger;
    }

    /// <summary>The sync token saved with the crypto state (null before the first sync).</summary>
    public string? SyncToken { get; private set; }

    public string Ed25519Key => _machine.Ed25519Key;
    public string Curve25519Key => _machine.Curve25519Key;

    /// <summary>True once the cross-signing keys and our device's signature were uploaded.</summary>
    public bool CrossSigningComplete => _machine.IsCrossSigningBootstrapped;

    /// <summary>Opens the device's key store with the operator's key; a device seen for the first time gets a new Olm
    /// account, saved before anything about it is uploaded (keys published and then lost would make the device unusable).</summary>
    /// <exception cref="StoreKeyMissingException">No key, or not 32 bytes.</exception>
    /// <exception cref="MatrixCryptoException"><c>CorruptState</c>: not the key this store was made with, or damaged records.</exception>
    public static DeviceCrypto Open(string userId, string deviceId, MatrixDeviceOptions options, ILogger logger)
    {
        var key = options.KeyStoreKey is { } given ? new StoreKey(given) : StoreKeySource.Load(options.KeyStoreKeyFile);
        CryptoStore? store = null;
        try
        {
            store = CryptoStore.Open(options.KeyStorePath, key, logger);
            var machine = store.OpenMachine(userId, deviceId);
            return new DeviceCrypto(store, key, machine, store.SyncToken, logger);
        }
        catch
        {
            store?.Dispose();
            key.Dispose();
            throw;
        }
    }

    /// <summary>Feeds a sync answer's to-device events, device-list changes and key counts to the machine.</summary>
    public void ReceiveSyncChanges(SyncResponse response)
    {
        var changes = new SyncChanges
        {
            ToDeviceEvents = response.ToDeviceEvents
                .Select(e => new JsonObject { ["type"] = e.Type, ["sender"] = e.Sender, ["content"] = e.Content.DeepClone() })
                .ToList(),
            ChangedUsers = response.DeviceLists?.Changed ?? [],
            LeftUsers = response.DeviceLists?.Left ?? [],
            OneTimeKeyCounts = response.OneTimeKeysCount?.ToDictionary(c => c.Key, c => (long)c.Value),
            UnusedFallbackKeyTypes = response.UnusedFallbackKeyTypes,
        };
        foreach (var processed in _machine.ReceiveSyncChanges(changes))
        {
            if (processed.Outcome is ToDeviceOutcome.Failed or ToDeviceOutcome.Refused)
            {
                _logger.LogWarning("To-device {Type} from {Sender} {Outcome}: {Error}", processed.Type, processed.Sender,
                    processed.Outcome == ToDeviceOutcome.Failed ? "failed" : "refused", processed.Error);
            }
        }
    }

    /// <summary>Decrypts an <c>m.room.encrypted</c> timeline event; null with the reason when it cannot (yet).</summary>
    public DeviceRoomEvent? TryDecrypt(string roomId, ClientEvent e, out DecryptFailure failure)
    {
        var json = JsonSerializer.Serialize(e with { RoomId = null }, MatrixJson.Options);
        try
        {
            var decrypted = _machine.DecryptRoomEvent(roomId, json);
            failure = DecryptFailure.None;
            return new DeviceRoomEvent(roomId, e.EventId!, e.Sender!, decrypted.Type, decrypted.Content, true,
                decrypted.SenderDevice?.DeviceId, e.OriginServerTs) { SenderVerification = decrypted.Verification };
        }
        catch (MatrixCryptoException missing) when (missing.Error == CryptoError.UnknownSession)
        {
            failure = DecryptFailure.MissingKey;
            return null;
        }
        catch (MatrixCryptoException rejected)
        {
            _logger.LogWarning("Event {EventId} in {Room} refused: {Error} ({Reason})", e.EventId, roomId, rejected.Error, rejected.Message);
            failure = DecryptFailure.Rejected;
            return null;
        }
    }

    /// <summary>Follows these users' device lists (members of encrypted rooms): their keys are queried next.</summary>
    public void TrackUsers(IEnumerable<string> userIds) => _machine.UpdateTrackedUsers(userIds);

    /// <summary>The requests the machine wants performed now (key upload, queries, claims, queued to-device).</summary>
    public IReadOnlyList<OutgoingRequest> OutgoingRequests() => _machine.OutgoingRequests();

    /// <summary>The next requests that bring the room's key to every member device that may have it; empty when done.</summary>
    public IReadOnlyList<OutgoingRequest> ShareRoomKey(string roomId, IEnumerable<string> members, RoomEncryption encryption, string historyVisibility) =>
        _machine.ShareRoomKey(roomId, members, new EncryptionSettings
        {
            Rotation = MegolmRotationPolicy.FromEncryptionEvent(encryption.Content),
            SharedHistory = historyVisibility is "shared" or "world_readable",
            OnlyCrossSignedDevices = true,
        });

    /// <summary>The <c>m.room.encrypted</c> content for an event (after <see cref="ShareRoomKey"/> returned nothing).</summary>
    public JsonObject EncryptRoomEvent(string roomId, string eventType, JsonObject content) =>
        (JsonObject)JsonNode.Parse(_machine.EncryptRoomEvent(roomId, eventType, content.ToJsonString()))!;

    /// <summary>Starts a new Megolm session for the room's next message (history visibility or encryption changed).</summary>
    public void DiscardRoomSession(string roomId) => _machine.DiscardRoomKey(roomId);

    public void MarkRequestAsSent(OutgoingRequest request, JsonObject response) =>
        _machine.MarkRequestAsSent(request.RequestId, response.ToJsonString());

    public void MarkRequestAsFailed(OutgoingRequest request) => _machine.MarkRequestAsFailed(request.RequestId);

    /// <summary>The two cross-signing uploads (keys, then our device's signature); the same keys on every call.</summary>
    public (DeviceSigningUploadRequest Keys, SignatureUploadRequest Signatures) BootstrapCrossSigning()
    {
        var requests = _machine.BootstrapCrossSigning();
        return (requests.OfType<DeviceSigningUploadRequest>().Single(), requests.OfType<SignatureUploadRequest>().Single());
    }

    /// <summary>Whether a master key object from the server is our own identity's.</summary>
    public bool IsOurMasterKey(JsonObject masterKey) =>
        _machine.GetUserIdentity(_machine.UserId) is { } own
        && CrossSigningKeyObject.PublicKey(masterKey, _machine.UserId, CrossSigningKeyObject.Master) == own.MasterKey;

    /// <summary>Writes what changed in the machine, and the sync token when given, in one transaction. When the write
    /// fails, the machine is read back from the store before the error is thrown.</summary>
    public void Save(string? syncToken)
    {
        var token = syncToken ?? SyncToken;
        if (!_machine.HasChanges && token == SyncToken)
        {
            return;
        }

        try
        {
            _store.SaveChanges(_machine.TakeChanges(), token);
        }
        catch
        {
            // The machine handed its changes over and nothing was committed: it no longer matches the store.
            Reload();
            throw;
        }
        SyncToken = token;
    }

    /// <summary>Throws away the in-memory machine and reads it back from the store: after a failure, nothing that was
    /// not committed may count as done (an Olm message decrypted in memory but not saved is decrypted again).</summary>
    public void Reload()
    {
        _machine = _store.OpenMachine(_machine.UserId, _machine.DeviceId);
        SyncToken = _store.SyncToken;
    }

    public void Dispose()
    {
        _store.Dispose();
        _key.Dispose();
    }
}
