using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>How the machine's parts refuse untrusted input: always a <see cref="MatrixCryptoException"/>.</summary>
internal static class MachineInput
{
    public static MatrixCryptoException Invalid(string why) => new(CryptoError.InvalidJson, why);

    public static MatrixCryptoException Check(string why) => new(CryptoError.PayloadCheckFailed, why);

    /// <summary>Parses a payload or event that must be a JSON object; see <see cref="JsonRead.ParseObject"/>.</summary>
    public static JsonObject ParseObject(byte[] utf8, string what) => JsonRead.ParseObject(utf8, what);
}
