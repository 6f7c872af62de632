using System.Text.Json;

namespace WalkieTalkie.WebWalkie.Walkie;

/// <summary>A device of the room as its MSC4002 state shows it: who opted in, who is permitted.</summary>
public sealed record RoomDevice(string UserId, string DeviceId, bool Accepted, bool Permitted, bool MaySend, long? PermitExpires)
{
    public string StateKey => $"device/{UserId}/{DeviceId}";
}

/// <summary>
/// The room's MSC4002 state as the widget receives it (accepts, permits, power levels), read for the page: this
/// device's consent, the devices waiting for a permit, and whether the user may grant. The gateway applies the rules
/// itself; this is only what the page shows and offers.
/// </summary>
public sealed class RoomConsent
{
    public const string AcceptType = "org.matrix.msc4002.accept";
    public const string PermitType = "org.matrix.msc4002.permit";

    public IReadOnlyList<RoomDevice> Devices { get; private init; } = [];

    /// <summary>The user's power level reaches the level permits need.</summary>
    public bool MayGrant { get; private init; }

    public static RoomConsent Read(string json, string ownUserId, long nowMs)
    {
        var accepts = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var permits = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var userLevel = 0L;
        var required = 50L;
        var creator = (string?)null;
        var hasPowerLevels = false;
        using var document = JsonDocument.Parse(json);
        foreach (var ev in document.RootElement.EnumerateArray())
        {
            var type = ev.TryGetProperty("type", out var t) ? t.GetString() : null;
            var key = ev.TryGetProperty("state_key", out var k) ? k.GetString() ?? "" : "";
            if (!ev.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            switch (type)
            {
                case AcceptType:
                    accepts[key] = content.Clone();
                    break;
                case PermitType:
                    permits[key] = content.Clone();
                    break;
                case "m.room.create":
                    creator = ev.TryGetProperty("sender", out var s) ? s.GetString() : null;
                    break;
                case "m.room.power_levels":
                    hasPowerLevels = true;
                    userLevel = Level(content, "users", ownUserId) ?? Number(content, "users_default") ?? 0;
                    required = Level(content, "events", PermitType) ?? Number(content, "state_default") ?? 50;
                    break;
            }
        }

        if (!hasPowerLevels && creator == ownUserId)
        {
            userLevel = 100;
        }

        var devices = new List<RoomDevice>();
        foreach (var key in accepts.Keys.Union(permits.Keys).Order(StringComparer.Ordinal))
        {
            if (!TrySplit(key, out var user, out var device))
            {
                continue;
            }

            var accepted = accepts.TryGetValue(key, out var a) && Bool(a, "receive") && !Expired(a, nowMs) && Text(a, "user_id") == user;
            var permitted = permits.TryGetValue(key, out var p) && Bool(p, "receive") && !Expired(p, nowMs);
            devices.Add(new RoomDevice(user, device, accepted, permitted, permitted && Bool(p, "send"),
                permitted ? Number(p, "expires_ts") : null));
        }

        return new RoomConsent { Devices = devices, MayGrant = userLevel >= required };
    }

    /// <summary>Splits <c>device/{user_id}/{device_id}</c>: the user id runs to the first '/' after its first ':'.</summary>
    public static bool TrySplit(string key, out string user, out string device)
    {
        user = device = "";
        if (!key.StartsWith("device/@", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key["device/".Length..];
        var colon = rest.IndexOf(':');
        var slash = colon < 0 ? -1 : rest.IndexOf('/', colon);
        if (slash < 0 || slash == rest.Length - 1)
        {
            return false;
        }

        user = rest[..slash];
        device = rest[(slash + 1)..];
        return true;
    }

    private static long? Level(JsonElement content, string map, string key) =>
        content.TryGetProperty(map, out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty(key, out var v) && v.TryGetInt64(out var n) ? n : null;

    private static long? Number(JsonElement content, string name) =>
        content.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static bool Bool(JsonElement content, string name) => content.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static string? Text(JsonElement content, string name) =>
        content.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Expired(JsonElement content, long nowMs) => Number(content, "expires_ts") is { } until && until <= nowMs;
}
