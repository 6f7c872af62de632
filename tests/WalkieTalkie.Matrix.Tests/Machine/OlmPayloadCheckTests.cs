using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Machine;

namespace WalkieTalkie.Matrix.Tests.Machine;

/// <summary>The spec's checks on every decrypted Olm payload (sender, recipient, recipient_keys, keys.ed25519,
/// sender_device_keys), and that a refused message changes nothing: its one-time key is still there.</summary>
public sealed class OlmPayloadCheckTests
{
    private const string Alice = "@walkie-anna:example.org", Bob = "@parent:example.org", Mallory = "@mallory:example.org";

    public static TheoryData<string> Tamperings => new()
    {
        "sender", "recipient", "recipient_keys", "keys_missing", "keys_other", "sender_device_keys_bad_signature",
        "sender_device_keys_other_device", "event_sender",
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void A_payload_failing_a_check_is_refused_and_leaves_the_one_time_key(string tampering)
    {
        var server = new InMemoryHomeserver();
        var pump = new MachinePump(server);
        var alice = OlmMachine.Create(Alice, "BADGE1");
        var bob = OlmMachine.Create(Bob, "PHONE");
        var other = OlmMachine.Create(Alice, "OTHER");
        pump.Settle(alice, bob, other);
        bob.UpdateTrackedUsers([Alice]);
        pump.Settle(alice, bob, other);

        var content = new JsonObject { ["n"] = 1 };
        var payload = OlmPeer.Payload(alice, bob, "org.example.test", content);
        string? eventSender = null;
        switch (tampering)
        {
            case "sender": payload["sender"] = Mallory; break;
            case "recipient": payload["recipient"] = Mallory; break;
            case "recipient_keys": payload["recipient_keys"] = new JsonObject { ["ed25519"] = other.Ed25519Key }; break;
            case "keys_missing": payload.Remove("keys"); break;
            case "keys_other": payload["keys"] = new JsonObject { ["ed25519"] = other.Ed25519Key }; break;
            case "sender_device_keys_bad_signature":
                payload["sender_device_keys"]!["algorithms"]!.AsArray().Add("m.tampered");
                break;
            case "sender_device_keys_other_device": payload["sender_device_keys"] = other.DeviceKeys(); break;
            case "event_sender": eventSender = Mallory; break;
        }
        var (_, key) = OlmPeer.ClaimKey(server, bob);
        var refused = OlmPeer.Send(server, alice, bob, payload, key, eventSender);
        Assert.Equal(ToDeviceOutcome.Failed, refused.Outcome);
        Assert.NotNull(refused.Error);

        var accepted = OlmPeer.Send(server, alice, bob, OlmPeer.Payload(alice, bob, "org.example.test", content), key);
        Assert.Equal(ToDeviceOutcome.Decrypted, accepted.Outcome);
        Assert.Equal("BADGE1", accepted.SenderDevice?.DeviceId);
        Assert.Equal(1, accepted.Content["n"]!.GetValue<int>());
    }
}
