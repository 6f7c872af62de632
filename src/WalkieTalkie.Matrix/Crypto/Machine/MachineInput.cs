using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>How the machine's parts refuse untrusted input: always a <see cref="MatrixCryptoException"/>.</summary>
internal static class MachineInput
{
    public static MatrixCryptoException Invalid(string why) => new(CryptoError.InvalidJson, why);

    public static MatrixCryptoException Check(string why) => new(CryptoError.PayloadCheckFailed, why);

    public static JsonObject ParseObject(byte[] utf8, string what)
    {
        try
        {
            return JsonNode.Parse(utf8) as JsonObject ?? throw Invalid($"the {what} is not a JSON object");
        }
        catch (JsonException)
        {
            throw Invalid($"the {what} is not JSON");
        }
    }
}
