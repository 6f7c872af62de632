using System.Text.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto;
using WalkieTalkie.Matrix.Crypto.Json;
using WalkieTalkie.Matrix.Crypto.Olm;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// Canonical JSON as signature checks use it: JSON text parsed the way the crypto machine parses what a homeserver
/// sends (<see cref="JsonNode.Parse(ReadOnlySpan{byte}, JsonNodeOptions?, JsonDocumentOptions)"/>), then
/// <see cref="CanonicalJson.Serialize"/> and <see cref="JsonSigning.SigningBytes"/>. Text that is not JSON is
/// refused with <see cref="JsonException"/>; JSON that cannot be signed with <see cref="MatrixCryptoException"/>.
/// Canonical JSON is a fixed point: parsing the output and serialising it again must give the same bytes.
/// </summary>
public sealed class CanonicalJsonTarget : FuzzTarget
{
    public override string Description => "CanonicalJson.Serialize and JsonSigning.SigningBytes of parsed JSON";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Matrix"];

    public override FuzzOutcome Run(byte[] input)
    {
        byte[] canonical;
        try
        {
            var node = JsonNode.Parse(input);
            canonical = CanonicalJson.Serialize(node);
            if (node is JsonObject value)
            {
                JsonSigning.SigningBytes(value);
            }
        }
        catch (JsonException)
        {
            return FuzzOutcome.Refused;
        }
        catch (MatrixCryptoException)
        {
            return FuzzOutcome.Refused;
        }

        var again = CanonicalJson.Serialize(JsonNode.Parse(canonical));
        if (!again.AsSpan().SequenceEqual(canonical))
        {
            throw new FuzzInvariantException("canonical JSON is not a fixed point: serialising its own output changed it");
        }

        return FuzzOutcome.Accepted;
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
        "\"signatures\"", "\"unsigned\"", "\"ed25519:", "\"curve25519:", "\"keys\"", "\"algorithms\"",
        "true", "false", "null", "9007199254740991", "9007199254740992", "-9007199254740991", "1e3", "1.5", "-0", "1E400",
        "\\u0000", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u2028", "\\\"", "\\\\", "\\/",
    ];
}
