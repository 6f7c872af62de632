using System.Text.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// Canonical JSON as signature checks use it, on JSON text parsed two ways: as the crypto machine parses payloads
/// (<see cref="JsonRead.ParseObject"/>, refusing with <see cref="MatrixCryptoException"/>), and as plain
/// <see cref="JsonNode.Parse(ReadOnlySpan{byte}, JsonNodeOptions?, JsonDocumentOptions)"/> does for the client's
/// responses (refusing text that is not JSON with <see cref="JsonException"/>). Each parsed object then goes through
/// <see cref="CanonicalJson.Serialize"/>, <see cref="JsonSigning.SigningBytes"/> and <see cref="JsonSigning.Verify"/>,
/// which refuse JSON that cannot be signed with <see cref="MatrixCryptoException"/>. Canonical JSON is a fixed point:
/// parsing the output and serialising it again must give the same bytes.
/// </summary>
public sealed class CanonicalJsonTarget : FuzzTarget
{
    private const string SigningKey = "l8Hft5qXKn1vfHrg3p4+W8gELQVo8N13JkluMfmn2sQ";

    public override string Description => "CanonicalJson.Serialize and JsonSigning of JSON parsed by the crypto machine and by JsonNode";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Matrix"];

    public override FuzzOutcome Run(byte[] input)
    {
        var machine = Outcome<MatrixCryptoException>(() => Canonical(JsonRead.ParseObject(input, "input")));
        FuzzOutcome plain;
        try
        {
            plain = Outcome<MatrixCryptoException>(() => Canonical(JsonNode.Parse(input)));
        }
        catch (JsonException)
        {
            plain = FuzzOutcome.Refused;
        }

        return machine == FuzzOutcome.Accepted || plain == FuzzOutcome.Accepted ? FuzzOutcome.Accepted : FuzzOutcome.Refused;
    }

    private static void Canonical(JsonNode? node)
    {
        if (node is JsonObject value)
        {
            JsonSigning.Verify(value, "@walkie-anna:example.org", "BADGEANNA", SigningKey);
            JsonSigning.SigningBytes(value);
        }

        var canonical = CanonicalJson.Serialize(node);
        var again = CanonicalJson.Serialize(JsonNode.Parse(canonical));
        if (!again.AsSpan().SequenceEqual(canonical))
        {
            throw new FuzzInvariantException("canonical JSON is not a fixed point: serialising its own output changed it");
        }
    }

    public override IEnumerable<byte[]> Seeds()
    {
        var account = OlmAccount.Create();
        var deviceKeys = account.DeviceKeys("@walkie-anna:example.org", "BADGEANNA");
        foreach (var seed in WithTruncations(CanonicalJson.Serialize(deviceKeys), 1))
        {
            yield return seed;
        }

        account.GenerateOneTimeKeys(1, DateTimeOffset.UnixEpoch);
        yield return CanonicalJson.Serialize(account.SignedUnpublishedKeys("@walkie-anna:example.org", "BADGEANNA").OneTimeKeys);
        yield return "{\"b\":[1,-0,1e3,\"\\u0001\\n\\\"\\\\\",null,true,false],\"a\":{\"\u00e9\":\"\ud83d\ude00 \u2028+\"}}"u8.ToArray();
    }

    public override IEnumerable<string> DictionaryTokens() =>
    [
        "\"signatures\"", "\"unsigned\"", "\"ed25519:", "\"curve25519:", "\"keys\"", "\"algorithms\"", "\"@walkie-anna:example.org\"",
        "\"ed25519:BADGEANNA\"", "true", "false", "null", "9007199254740991", "9007199254740992", "-9007199254740991", "1e3",
        "1.5", "-0", "1E400", "\\u0000", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u2028", "\\\"", "\\\\", "\\/",
    ];
}
