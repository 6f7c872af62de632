using System.Text.Json.Nodes;

namespace WalkieTalkie.TestHomeserver.State;

/// <summary>A device: its access token, identity keys, one-time and fallback keys and its to-device inbox.</summary>
internal sealed class Device(string userId, string deviceId)
{
    public string UserId { get; } = userId;
    public string DeviceId { get; } = deviceId;
    public string? DisplayName { get; set; }
    public string? AccessToken { get; set; }
    public DateTimeOffset LastSeen { get; set; }

    /// <summary>The uploaded, self-signed <c>device_keys</c> object; cross-signing signatures are merged in.</summary>
    public JsonObject? Keys { get; set; }

    /// <summary>Unclaimed one-time keys by <c>algorithm:key_id</c>, in key id order (claimed oldest first).</summary>
    public SortedDictionary<string, JsonObject> OneTimeKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Fallback key per algorithm; it stays claimable after use, marked used until replaced.</summary>
    public Dictionary<string, FallbackKey> FallbackKeys { get; } = new();

    /// <summary>Pending to-device messages, in stream order. A message is removed once a /sync with a since
    /// token at or beyond its position acknowledges it.</summary>
    public List<ToDeviceMessage> Inbox { get; } = new();

    /// <summary>Transaction ids of to-device sends already processed (idempotent retries).</summary>
    public HashSet<string> ToDeviceTransactions { get; } = new();

    /// <summary>Room sends by transaction id: the event id returned the first time (idempotent retries).</summary>
    public Dictionary<string, string> RoomTransactions { get; } = new();
}

internal sealed record FallbackKey(string KeyId, JsonObject Key, bool Used);

internal sealed record ToDeviceMessage(long Position, string Sender, string Type, JsonObject Content);
