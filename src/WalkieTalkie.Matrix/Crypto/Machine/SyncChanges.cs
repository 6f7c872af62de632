using System.Text.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Crypto.Json;

namespace WalkieTalkie.Matrix.Crypto.Machine;

/// <summary>What the machine needs from one <c>/sync</c> response.</summary>
public sealed record SyncChanges
{
    /// <summary><c>to_device.events</c>, in order.</summary>
    public IReadOnlyList<JsonObject> ToDeviceEvents { get; init; } = [];
    /// <summary><c>device_lists.changed</c>.</summary>
    public IReadOnlyList<string> ChangedUsers { get; init; } = [];
    /// <summary><c>device_lists.left</c>.</summary>
    public IReadOnlyList<string> LeftUsers { get; init; } = [];
    /// <summary><c>device_one_time_keys_count</c>; null when the response had none (then nothing is concluded).</summary>
    public IReadOnlyDictionary<string, long>? OneTimeKeyCounts { get; init; }
    /// <summary><c>device_unused_fallback_key_types</c>; null when absent (older servers).</summary>
    public IReadOnlyList<string>? UnusedFallbackKeyTypes { get; init; }

    /// <summary>Picks the machine's parts out of a whole <c>/sync</c> response body.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.InvalidJson"/> when it is not a JSON object.</exception>
    public static SyncChanges FromSyncResponse(string syncJson)
    {
        JsonObject sync;
        try
        {
            sync = JsonNode.Parse(syncJson) as JsonObject ?? throw new MatrixCryptoException(CryptoError.InvalidJson, "the sync response is not a JSON object");
        }
        catch (JsonException)
        {
            throw new MatrixCryptoException(CryptoError.InvalidJson, "the sync response is not JSON");
        }
        return FromSyncResponse(sync);
    }

    /// <summary>Picks the machine's parts out of a parsed <c>/sync</c> response.</summary>
    public static SyncChanges FromSyncResponse(JsonObject sync)
    {
        var events = (sync["to_device"] as JsonObject)?["events"] as JsonArray;
        var lists = sync["device_lists"] as JsonObject;
        return new SyncChanges
        {
            ToDeviceEvents = events?.OfType<JsonObject>().Select(e => (JsonObject)e.DeepClone()).ToList() ?? [],
            ChangedUsers = Strings(lists?["changed"]),
            LeftUsers = Strings(lists?["left"]),
            OneTimeKeyCounts = sync["device_one_time_keys_count"] is JsonObject counts
                ? counts.Where(c => JsonRead.Integer(c.Value) is not null).ToDictionary(c => c.Key, c => JsonRead.Integer(c.Value)!.Value)
                : null,
            UnusedFallbackKeyTypes = sync["device_unused_fallback_key_types"] is JsonArray types ? Strings(types) : null,
        };
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(JsonRead.String).OfType<string>().ToList() : [];
}
