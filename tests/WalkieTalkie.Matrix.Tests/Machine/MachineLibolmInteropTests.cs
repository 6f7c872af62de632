using System.Text;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Tests.Interop;

namespace WalkieTalkie.Matrix.Tests.Machine;

/// <summary>The machine against a libolm 3.2.13 device (python3-olm): room keys and room events both ways, with the
/// Olm payload built and checked as the spec says.</summary>
public sealed class MachineLibolmInteropTests : IDisposable
{
    private const string Room = "!walkie:example.org";
    private const string Lib = "@libolm:example.org", LibDevice = "LIBOLM";
    private readonly LibolmPeer _libolm = new();
    private readonly InMemoryHomeserver _server = new();
    private readonly MachinePump _pump;
    private readonly string _libCurve, _libEd;
    private readonly JsonObject _libDeviceKeys;

    public MachineLibolmInteropTests()
    {
        _pump = new MachinePump(_server);
        var keys = _libolm.Call("create_account", ("account", "lib"));
        _libCurve = keys["curve25519"]!.GetValue<string>();
        _libEd = keys["ed25519"]!.GetValue<string>();
        _libDeviceKeys = new JsonObject
        {
            ["user_id"] = Lib, ["device_id"] = LibDevice,
            ["algorithms"] = new JsonArray("m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"),
            ["keys"] = new JsonObject { ["curve25519:" + LibDevice] = _libCurve, ["ed25519:" + LibDevice] = _libEd },
        };
        LibSign(_libDeviceKeys);
        var oneTimeKeys = _libolm.Call("generate_one_time_keys", ("account", "lib"), ("count", 2))["keys"]!.AsObject()
            .Select(k =>
            {
                var signed = new JsonObject { ["key"] = k.Value!.GetValue<string>() };
                LibSign(signed);
                return ("signed_curve25519:" + k.Key, signed);
            }).ToList();
        _server.AddDeviceKeys(_libDeviceKeys, oneTimeKeys);
    }

    public void Dispose() => _libolm.Dispose();

    private void LibSign(JsonObject value)
    {
        var signature = _libolm.Call("sign", ("account", "lib"), ("message", Encoding.UTF8.GetString(JsonSigning.SigningBytes(value))))["signature"]!;
        JsonSigning.AddSignature(value, Lib, LibDevice, Convert.FromBase64String(PadBase64(signature.GetValue<string>())));
    }

    private static string PadBase64(string s) => s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');

    [Fact]
    public void Libolm_receives_our_room_key_over_olm_and_decrypts_our_room_event()
    {
        var badge = OlmMachine.Create("@walkie-anna:example.org", "BADGE1");
        _pump.Settle(badge);
        _pump.Share(badge, Room, [Lib], new EncryptionSettings { OnlyCrossSignedDevices = false });
        var encrypted = JsonNode.Parse(badge.EncryptRoomEvent(Room, "m.room.message", """{"msgtype":"m.text","body":"hello libolm"}"""))!;

        var toDevice = Assert.Single(_server.TakeToDevice(Lib, LibDevice));
        var ciphertext = toDevice["content"]!["ciphertext"]![_libCurve]!;
        Assert.Equal(0, ciphertext["type"]!.GetValue<int>());
        var inbound = _libolm.Call("inbound_session", ("account", "lib"), ("session", "s"), ("identity_key", badge.Curve25519Key),
            ("body", ciphertext["body"]!.GetValue<string>()));
        var payload = JsonNode.Parse(inbound["plaintext"]!.GetValue<string>())!;
        Assert.Equal("m.room_key", payload["type"]!.GetValue<string>());
        Assert.Equal(badge.UserId, payload["sender"]!.GetValue<string>());
        Assert.Equal(Lib, payload["recipient"]!.GetValue<string>());
        Assert.Equal(_libEd, payload["recipient_keys"]!["ed25519"]!.GetValue<string>());
        Assert.Equal(badge.Ed25519Key, payload["keys"]!["ed25519"]!.GetValue<string>());
        Assert.True(JsonSigning.Verify(payload["sender_device_keys"]!.AsObject(), badge.UserId, badge.DeviceId, badge.Ed25519Key));

        var group = _libolm.Call("megolm_inbound", ("group", "g"), ("session_key", payload["content"]!["session_key"]!.GetValue<string>()));
        Assert.Equal(encrypted["session_id"]!.GetValue<string>(), group["session_id"]!.GetValue<string>());
        var plaintext = JsonNode.Parse(_libolm.Call("megolm_decrypt", ("group", "g"), ("ciphertext", encrypted["ciphertext"]!.GetValue<string>()))["plaintext"]!.GetValue<string>())!;
        Assert.Equal(Room, plaintext["room_id"]!.GetValue<string>());
        Assert.Equal("hello libolm", plaintext["content"]!["body"]!.GetValue<string>());
    }

    [Fact]
    public void We_take_a_libolm_room_key_over_olm_and_decrypt_its_room_event_with_the_device_known()
    {
        var badge = OlmMachine.Create("@walkie-anna:example.org", "BADGE1");
        badge.UpdateTrackedUsers([Lib]);
        _pump.Settle(badge);

        var (_, oneTimeKey) = OlmPeer.ClaimKey(_server, badge);
        _libolm.Call("outbound_session", ("account", "lib"), ("session", "to-badge"), ("identity_key", badge.Curve25519Key), ("one_time_key", oneTimeKey));
        var group = _libolm.Call("megolm_outbound", ("group", "out"));
        var payload = new JsonObject
        {
            ["type"] = "m.room_key",
            ["content"] = new JsonObject
            {
                ["algorithm"] = "m.megolm.v1.aes-sha2", ["room_id"] = Room,
                ["session_id"] = group["session_id"]!.GetValue<string>(), ["session_key"] = group["session_key"]!.GetValue<string>(),
            },
            ["sender"] = Lib, ["recipient"] = badge.UserId,
            ["keys"] = new JsonObject { ["ed25519"] = _libEd },
            ["recipient_keys"] = new JsonObject { ["ed25519"] = badge.Ed25519Key },
            ["sender_device_keys"] = _libDeviceKeys.DeepClone(),
        };
        var message = _libolm.Call("encrypt", ("session", "to-badge"), ("plaintext", payload.ToJsonString()));
        _server.Deliver(badge.UserId, badge.DeviceId, Lib, "m.room.encrypted", new JsonObject
        {
            ["algorithm"] = "m.olm.v1.curve25519-aes-sha2", ["sender_key"] = _libCurve,
            ["ciphertext"] = new JsonObject { [badge.Curve25519Key] = new JsonObject { ["type"] = message["type"]!.GetValue<int>(), ["body"] = message["body"]!.GetValue<string>() } },
        });
        var received = Assert.Single(badge.ReceiveSyncChanges(_server.Sync(badge.UserId, badge.DeviceId)));
        Assert.Equal(ToDeviceOutcome.Decrypted, received.Outcome);
        Assert.Equal(LibDevice, received.SenderDevice?.DeviceId);

        var roomEvent = new JsonObject { ["type"] = "m.room.message", ["content"] = new JsonObject { ["body"] = "from libolm" }, ["room_id"] = Room };
        var ciphertext = _libolm.Call("megolm_encrypt", ("group", "out"), ("plaintext", roomEvent.ToJsonString()))["ciphertext"]!.GetValue<string>();
        var eventJson = new JsonObject
        {
            ["type"] = "m.room.encrypted", ["sender"] = Lib, ["event_id"] = "$lib1", ["origin_server_ts"] = 1,
            ["content"] = new JsonObject
            {
                ["algorithm"] = "m.megolm.v1.aes-sha2", ["sender_key"] = _libCurve, ["device_id"] = LibDevice,
                ["session_id"] = group["session_id"]!.GetValue<string>(), ["ciphertext"] = ciphertext,
            },
        }.ToJsonString();
        var decrypted = badge.DecryptRoomEvent(Room, eventJson);
        Assert.Equal("from libolm", decrypted.Content["body"]!.GetValue<string>());
        Assert.Equal(LibDevice, decrypted.SenderDevice?.DeviceId);
        Assert.Equal(VerificationState.NotCrossSigned, decrypted.Verification);
    }
}
