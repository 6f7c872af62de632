using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WalkieTalkie.Matrix.Client.Keys;

/// <summary><c>POST /keys/upload</c> answer.</summary>
public sealed record KeysUploadResponse(
    [property: JsonPropertyName("one_time_key_counts")] Dictionary<string, int> OneTimeKeyCounts);

/// <summary>
/// <c>POST /keys/query</c> answer. Keys stay raw JSON objects: their signatures are checked over the exact
/// content, which only the crypto layer does.
/// </summary>
public sealed record KeysQueryResponse(
    [property: JsonPropertyName("device_keys")] Dictionary<string, Dictionary<string, JsonObject>>? DeviceKeys,
    [property: JsonPropertyName("master_keys")] Dictionary<string, JsonObject>? MasterKeys,
    [property: JsonPropertyName("self_signing_keys")] Dictionary<string, JsonObject>? SelfSigningKeys,
    [property: JsonPropertyName("user_signing_keys")] Dictionary<string, JsonObject>? UserSigningKeys,
    [property: JsonPropertyName("failures")] JsonObject? Failures);

/// <summary><c>POST /keys/claim</c> answer: <c>one_time_keys[user][device]["signed_curve25519:id"]</c>.</summary>
public sealed record KeysClaimResponse(
    [property: JsonPropertyName("one_time_keys")] Dictionary<string, Dictionary<string, JsonObject>>? OneTimeKeys,
    [property: JsonPropertyName("failures")] JsonObject? Failures);

/// <summary><c>POST /keys/signatures/upload</c> answer.</summary>
public sealed record SignaturesUploadResponse(
    [property: JsonPropertyName("failures")] JsonObject? Failures);

/// <summary><c>GET /keys/changes</c> answer: whose device lists changed between two sync tokens.</summary>
public sealed record KeyChangesResponse(
    [property: JsonPropertyName("changed")] List<string>? Changed,
    [property: JsonPropertyName("left")] List<string>? Left);
