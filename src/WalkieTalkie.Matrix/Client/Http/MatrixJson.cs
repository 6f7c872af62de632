using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WalkieTalkie.Matrix.Client.Http;

/// <summary>The JSON settings for everything this layer reads and writes. Property names are given explicitly on
/// each record (Matrix mixes snake_case with dotted names such as <c>m.upload.size</c>).</summary>
internal static class MatrixJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Readable request bodies in logs and captures; the server re-encodes canonically anyway.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.Strict,
    };
}
