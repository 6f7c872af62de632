using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Megolm;

namespace WalkieTalkie.Benchmarks;

/// <summary>
/// Megolm per room event: the bare session (AES-256-CBC, HMAC-SHA-256, Ed25519 sign/verify) and the whole machine
/// path (JSON plaintext, checks, replay guard). The event is a talk burst's m.audio content (about 700 bytes).
/// </summary>
[MemoryDiagnoser]
public class CryptoMegolmBenchmarks
{
    private const string Room = "!walkie:example.org";
    private static readonly string AudioContent = new JsonObject
    {
        ["msgtype"] = "m.audio", ["body"] = "Voice message",
        ["file"] = new JsonObject
        {
            ["v"] = "v2", ["url"] = "mxc://example.org/AbCdEfGhIjKlMnOpQrStUvWx", ["iv"] = "w+sE15fzSc0AAAAAAAAAAA",
            ["hashes"] = new JsonObject { ["sha256"] = "fdSLu/YkRx3Wyh3KQabP3rd6+SFiKg5lsJZQHtkSAYA" },
            ["key"] = new JsonObject { ["alg"] = "A256CTR", ["ext"] = true, ["k"] = "aWF6-32KGYaC3A_FEUCk1Bt0JA37zP0eXJjaD6_tBlk", ["kty"] = "oct", ["key_ops"] = new JsonArray("encrypt", "decrypt") },
        },
        ["info"] = new JsonObject { ["mimetype"] = "audio/ogg", ["size"] = 12000, ["duration"] = 4200 },
        ["org.matrix.msc1767.audio"] = new JsonObject { ["duration"] = 4200, ["waveform"] = new JsonArray(Enumerable.Range(0, 100).Select(i => (JsonNode)(i * 10 % 1024)).ToArray()) },
        ["org.matrix.msc3245.voice"] = new JsonObject(),
    }.ToJsonString();

    private OutboundGroupSession _outbound = null!;
    private InboundGroupSession _inbound = null!;
    private string _ciphertext = "";
    private byte[] _plaintext = [];
    private OlmMachine _machine = null!;
    private string _eventJson = "";

    [GlobalSetup]
    public void Setup()
    {
        _plaintext = Encoding.UTF8.GetBytes($$"""{"type":"m.room.message","content":{{AudioContent}},"room_id":"{{Room}}"}""");
        _outbound = OutboundGroupSession.Create(DateTimeOffset.UtcNow);
        _inbound = InboundGroupSession.FromSessionKey(_outbound.SessionKey);
        _ciphertext = _outbound.Encrypt(_plaintext);

        // A machine alone in its room: ShareRoomKey has nobody to send to, and its own key decrypts its events.
        _machine = OlmMachine.Create("@walkie-anna:example.org", "BADGE1");
        var settings = new EncryptionSettings { Rotation = new MegolmRotationPolicy(TimeSpan.FromDays(365), int.MaxValue) };
        foreach (var request in _machine.ShareRoomKey(Room, ["@walkie-anna:example.org"], settings))
        {
            _machine.MarkRequestAsSent(request.RequestId, """{"device_keys":{}}""");
        }

        _machine.ShareRoomKey(Room, ["@walkie-anna:example.org"], settings);
        var content = _machine.EncryptRoomEvent(Room, "m.room.message", AudioContent);
        _eventJson = $$"""{"type":"m.room.encrypted","sender":"@walkie-anna:example.org","event_id":"$1","origin_server_ts":1,"content":{{content}}}""";
    }

    [Benchmark]
    public string MegolmEncrypt() => _outbound.Encrypt(_plaintext);

    [Benchmark]
    public MegolmDecryptionResult MegolmDecrypt() => _inbound.Decrypt(_ciphertext);

    [Benchmark]
    public string MachineEncryptRoomEvent() => _machine.EncryptRoomEvent(Room, "m.room.message", AudioContent);

    [Benchmark]
    public DecryptedRoomEvent MachineDecryptRoomEvent() => _machine.DecryptRoomEvent(Room, _eventJson);
}
