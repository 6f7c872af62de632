using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Machine.GroupSessions;
using WalkieTalkie.Matrix.Crypto.Machine.Identities;
using WalkieTalkie.Matrix.Crypto.Machine.Keys;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;
using WalkieTalkie.Matrix.Crypto.Machine.Sessions;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Matrix.Tests.Machine;

/// <summary>One device's machine parts, wired as <see cref="OlmMachine"/> wires them, for tests that drive a part
/// directly. The server is played by hand: the test answers each request with the response it wants.</summary>
internal sealed class DeviceParts
{
    public DeviceParts(string userId, string deviceId, FakeTimeProvider time)
    {
        UserId = userId;
        DeviceId = deviceId;
        Time = time;
        Account = OlmAccount.Create();
        OwnAccount = new OwnAccount(userId, deviceId, Account, isNew: true, time, Requests);
        Identities = new IdentityManager(userId, deviceId, Account, Requests);
        Sessions = new SessionManager(userId, OwnAccount, Identities, Requests, time);
        RoomKeys = new InboundRoomKeys(userId, Identities);
        GroupSessions = new GroupSessionManager(userId, deviceId, Account, Identities, Sessions, RoomKeys, Requests, time);
    }

    public string UserId { get; }
    public string DeviceId { get; }
    public FakeTimeProvider Time { get; }
    public OlmAccount Account { get; }
    public PendingRequests Requests { get; } = new();
    public OwnAccount OwnAccount { get; }
    public IdentityManager Identities { get; }
    public SessionManager Sessions { get; }
    public InboundRoomKeys RoomKeys { get; }
    public GroupSessionManager GroupSessions { get; }

    /// <summary>The master and self-signing key objects once <see cref="CrossSign"/> ran.</summary>
    public JsonObject? CrossSigningKeys { get; private set; }

    /// <summary>This device as its peers know it (our own keys, cross-signed once <see cref="CrossSign"/> ran).</summary>
    public DeviceKeysInfo Device => DeviceKeysInfo.Verify(Identities.OwnDeviceKeys(), UserId, DeviceId);

    /// <summary>Gives the user a cross-signing identity that signs this device.</summary>
    public void CrossSign()
    {
        var upload = Identities.BootstrapCrossSigning().OfType<DeviceSigningUploadRequest>().Single();
        CrossSigningKeys = JsonNode.Parse(upload.BodyJson)!.AsObject();
    }

    /// <summary>A fresh one-time key as <c>/keys/claim</c> returns it: <c>{"signed_curve25519:&lt;id&gt;": {...}}</c>.</summary>
    public JsonObject ClaimableKey()
    {
        Account.GenerateOneTimeKeys(1, Time.GetUtcNow());
        var (oneTimeKeys, _) = Account.SignedUnpublishedKeys(UserId, DeviceId);
        Account.MarkKeysAsPublished();
        return oneTimeKeys;
    }

    /// <summary>Answers a request this device made; the response must be taken.</summary>
    public void Answer(OutgoingRequest request, JsonObject response) => Assert.True(Requests.Complete(request.RequestId, response));

    /// <summary>Answers a <c>/keys/query</c> with these devices (and their users' cross-signing keys).</summary>
    public void AnswerQuery(OutgoingRequest query, params DeviceParts[] devices) => Answer(query, QueryResponse(devices));

    /// <summary>Answers a <c>/keys/claim</c> with a fresh one-time key of each device.</summary>
    public void AnswerClaim(OutgoingRequest claim, params DeviceParts[] devices)
    {
        var keys = new JsonObject();
        foreach (var device in devices)
        {
            keys[device.UserId] ??= new JsonObject();
            keys[device.UserId]![device.DeviceId] = device.ClaimableKey();
        }
        Answer(claim, new JsonObject { ["one_time_keys"] = keys });
    }

    public static JsonObject QueryResponse(params DeviceParts[] devices)
    {
        var deviceKeys = new JsonObject();
        var master = new JsonObject();
        var selfSigning = new JsonObject();
        foreach (var device in devices)
        {
            deviceKeys[device.UserId] ??= new JsonObject();
            deviceKeys[device.UserId]![device.DeviceId] = device.Identities.OwnDeviceKeys();
            if (device.CrossSigningKeys is { } keys)
            {
                master[device.UserId] = keys["master_key"]!.DeepClone();
                selfSigning[device.UserId] = keys["self_signing_key"]!.DeepClone();
            }
        }
        return new JsonObject { ["device_keys"] = deviceKeys, ["master_keys"] = master, ["self_signing_keys"] = selfSigning };
    }

    /// <summary>The to-device event a recipient's sync carries for one of this device's to-device requests.</summary>
    public JsonObject ToDeviceEventFor(ToDeviceRequest request, DeviceParts recipient) => new()
    {
        ["type"] = request.EventType,
        ["sender"] = UserId,
        ["content"] = JsonNode.Parse(request.BodyJson)!["messages"]![recipient.UserId]![recipient.DeviceId]!.DeepClone(),
    };

    /// <summary>A room event as a sync's timeline carries it.</summary>
    public static string RoomEvent(string sender, string encryptedContentJson, string eventId) => new JsonObject
    {
        ["type"] = "m.room.encrypted", ["sender"] = sender, ["event_id"] = eventId, ["origin_server_ts"] = 1700000000000,
        ["content"] = JsonNode.Parse(encryptedContentJson),
    }.ToJsonString();

}
