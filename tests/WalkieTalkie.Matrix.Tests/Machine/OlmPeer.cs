using System.Text;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;

namespace WalkieTalkie.Matrix.Tests.Machine;

/// <summary>Hand-made Olm to-device messages from a machine's account, for tests that need payloads a well-behaved
/// machine never sends.</summary>
public static class OlmPeer
{
    /// <summary>Claims one of the recipient's one-time keys: (key id, public key).</summary>
    public static (string Id, string Key) ClaimKey(InMemoryHomeserver server, OlmMachine recipient)
    {
        var body = new JsonObject { ["one_time_keys"] = new JsonObject { [recipient.UserId] = new JsonObject { [recipient.DeviceId] = "signed_curve25519" } } };
        var response = JsonNode.Parse(server.Handle("@claimer:example.org", "X", new KeysClaimRequest("claim-" + Guid.NewGuid(), body.ToJsonString())))!;
        var (id, key) = response["one_time_keys"]![recipient.UserId]![recipient.DeviceId]!.AsObject().First();
        return (id, key!["key"]!.GetValue<string>());
    }

    /// <summary>The Olm payload a correct sender builds.</summary>
    public static JsonObject Payload(OlmMachine sender, OlmMachine recipient, string type, JsonObject content) => new()
    {
        ["type"] = type,
        ["content"] = content.DeepClone(),
        ["sender"] = sender.UserId,
        ["recipient"] = recipient.UserId,
        ["keys"] = new JsonObject { ["ed25519"] = sender.Ed25519Key },
        ["recipient_keys"] = new JsonObject { ["ed25519"] = recipient.Ed25519Key },
        ["sender_device_keys"] = sender.DeviceKeys(),
    };

    /// <summary>Encrypts <paramref name="payload"/> in a new Olm session to <paramref name="oneTimeKey"/> from the sender's
    /// account, delivers it as <paramref name="eventSender"/> and lets the recipient process it.</summary>
    public static ProcessedToDeviceEvent Send(InMemoryHomeserver server, OlmMachine sender, OlmMachine recipient, JsonObject payload,
        string oneTimeKey, string? eventSender = null)
    {
        var session = sender.Account.CreateOutboundSession(recipient.Curve25519Key, oneTimeKey);
        var message = session.Encrypt(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var content = new JsonObject
        {
            ["algorithm"] = "m.olm.v1.curve25519-aes-sha2",
            ["sender_key"] = sender.Curve25519Key,
            ["ciphertext"] = new JsonObject { [recipient.Curve25519Key] = new JsonObject { ["type"] = (int)message.Type, ["body"] = message.BodyBase64 } },
        };
        server.Deliver(recipient.UserId, recipient.DeviceId, eventSender ?? sender.UserId, "m.room.encrypted", content);
        var sync = server.Sync(recipient.UserId, recipient.DeviceId);
        return Assert.Single(recipient.ReceiveSyncChanges(sync with { OneTimeKeyCounts = null }));
    }

    /// <summary>A correct Olm message carrying an event.</summary>
    public static ProcessedToDeviceEvent SendOlm(InMemoryHomeserver server, MachinePump pump, OlmMachine sender, OlmMachine recipient,
        string type, JsonObject content) =>
        Send(server, sender, recipient, Payload(sender, recipient, type, content), ClaimKey(server, recipient).Key);
}
