using System.Text.Json;

namespace WalkieTalkie.Gateway.Sites.Floor;

/// <summary>
/// The wire form of the floor messages on the live link: one JSON object each, its <c>type</c> naming the message
/// (docs/protocol.md, "Floor claims across gateways"). Times are Unix milliseconds of the sender's clock.
/// </summary>
public static class SiteFloorWire
{
    public const string ClaimType = "org.matrix.msc4002.floor.claim";
    public const string ReleaseType = "org.matrix.msc4002.floor.release";
    public const string ClockType = "org.matrix.msc4002.floor.clock";
    public const string SyncType = "org.matrix.msc4002.floor.sync";

    /// <summary>The longest message accepted (a sync with its recent bursts stays far below it).</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>The most recent bursts a sync may carry.</summary>
    public const int MaxRecent = 64;

    public static byte[] Encode(SiteFloorMessage message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            switch (message)
            {
                case SiteFloorClaim claim:
                    Header(json, ClaimType, claim);
                    WriteClaimBody(json, claim);
                    break;
                case SiteFloorRelease release:
                    Header(json, ReleaseType, release);
                    json.WriteNumber("burst_id", release.BurstId);
                    json.WriteNumber("end_ts", release.EndTs);
                    json.WriteString("reason", release.Reason switch
                    {
                        SiteFloorEndReason.Released => "released",
                        // An emergency's preemption is a lost claim too: "collision" is what every version reads.
                        SiteFloorEndReason.Collision or SiteFloorEndReason.Preempted => "collision",
                        _ => throw new ArgumentException($"A release is not sent for {release.Reason}", nameof(message)),
                    });
                    break;
                case SiteClockProbe probe:
                    Header(json, ClockType, probe);
                    json.WriteNumber("origin_ts", probe.OriginTs);
                    if (probe.IsAnswer)
                    {
                        json.WriteNumber("receive_ts", probe.ReceiveTs!.Value);
                        json.WriteNumber("transmit_ts", probe.TransmitTs!.Value);
                    }

                    break;
                case SiteFloorSync sync:
                    Header(json, SyncType, sync);
                    if (sync.Current is { } current)
                    {
                        json.WriteStartObject("current");
                        WriteClaimBody(json, current);
                        json.WriteEndObject();
                    }

                    json.WriteStartArray("recent");
                    foreach (var burst in sync.Recent)
                    {
                        json.WriteStartObject();
                        json.WriteNumber("burst_id", burst.BurstId);
                        json.WriteString("talker", burst.Talker);
                        json.WriteNumber("claim_ts", burst.ClaimTs);
                        json.WriteNumber("end_ts", burst.EndTs);
                        WriteEmergency(json, burst.Emergency);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    break;
                default:
                    throw new ArgumentException($"Not a floor message: {message.GetType().Name}", nameof(message));
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Header(Utf8JsonWriter json, string type, SiteFloorMessage message)
    {
        json.WriteString("type", type);
        json.WriteString("room_id", message.RoomId);
        json.WriteString("gateway_id", message.GatewayId);
    }

    private static void WriteClaimBody(Utf8JsonWriter json, SiteFloorClaim claim)
    {
        json.WriteNumber("burst_id", claim.BurstId);
        json.WriteString("talker", claim.Talker);
        if (claim.TalkerName is not null)
        {
            json.WriteString("talker_name", claim.TalkerName);
        }

        json.WriteNumber("claim_ts", claim.ClaimTs);
        WriteEmergency(json, claim.Emergency);
    }

    // Written only when true: an ordinary claim reads as before, and a gateway that predates the flag ignores the key.
    private static void WriteEmergency(Utf8JsonWriter json, bool emergency)
    {
        if (emergency)
        {
            json.WriteBoolean("emergency", true);
        }
    }

    /// <summary>Reads one message; false with a reason for anything malformed (never throws on bad input).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out SiteFloorMessage? message, out string? error)
    {
        message = null;
        if (payload.Length > MaxLength)
        {
            error = $"floor message of {payload.Length} bytes is over {MaxLength}";
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            message = Read(document.RootElement);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = $"floor message is not valid JSON: {e.Message}";
        }
        catch (FloorWireException e)
        {
            error = e.Message;
        }

        return false;
    }

    private static SiteFloorMessage Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FloorWireException("floor message is not a JSON object");
        }

        var type = String(root, "type");
        var roomId = String(root, "room_id");
        var gatewayId = String(root, "gateway_id");
        return type switch
        {
            ClaimType => ReadClaim(root, roomId, gatewayId),
            ReleaseType => new SiteFloorRelease(roomId, gatewayId, BurstId(root), Number(root, "end_ts"), String(root, "reason") switch
            {
                "released" => SiteFloorEndReason.Released,
                "collision" => SiteFloorEndReason.Collision,
                var other => throw new FloorWireException($"unknown release reason '{other}'"),
            }),
            ClockType => ReadProbe(root, roomId, gatewayId),
            SyncType => ReadSync(root, roomId, gatewayId),
            _ => throw new FloorWireException($"unknown floor message type '{type}'"),
        };
    }

    private static SiteFloorClaim ReadClaim(JsonElement element, string roomId, string gatewayId) =>
        new(roomId, gatewayId, BurstId(element), String(element, "talker"), OptionalString(element, "talker_name"), Number(element, "claim_ts"),
            Emergency(element));

    private static SiteClockProbe ReadProbe(JsonElement root, string roomId, string gatewayId)
    {
        var receive = OptionalNumber(root, "receive_ts");
        var transmit = OptionalNumber(root, "transmit_ts");
        if (receive is null != transmit is null)
        {
            throw new FloorWireException("clock answer needs both receive_ts and transmit_ts");
        }

        return new SiteClockProbe(roomId, gatewayId, Number(root, "origin_ts"), receive, transmit);
    }

    private static SiteFloorSync ReadSync(JsonElement root, string roomId, string gatewayId)
    {
        SiteFloorClaim? current = null;
        if (root.TryGetProperty("current", out var currentElement))
        {
            if (currentElement.ValueKind != JsonValueKind.Object)
            {
                throw new FloorWireException("'current' is not an object");
            }

            current = ReadClaim(currentElement, roomId, gatewayId);
        }

        if (!root.TryGetProperty("recent", out var recentElement) || recentElement.ValueKind != JsonValueKind.Array)
        {
            throw new FloorWireException("'recent' is missing or not an array");
        }

        if (recentElement.GetArrayLength() > MaxRecent)
        {
            throw new FloorWireException($"'recent' has more than {MaxRecent} bursts");
        }

        var recent = new List<SiteFloorBurst>();
        foreach (var item in recentElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new FloorWireException("a recent burst is not an object");
            }

            recent.Add(new SiteFloorBurst(BurstId(item), String(item, "talker"), Number(item, "claim_ts"), Number(item, "end_ts"), Emergency(item)));
        }

        return new SiteFloorSync(roomId, gatewayId, current, recent);
    }

    // Missing (a gateway that predates the flag, or an ordinary claim): not an emergency.
    private static bool Emergency(JsonElement element)
    {
        if (!element.TryGetProperty("emergency", out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new FloorWireException("'emergency' is not a boolean"),
        };
    }

    private static string String(JsonElement element, string name) =>
        OptionalString(element, name) ?? throw new FloorWireException($"'{name}' is missing");

    private static string? OptionalString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 255 } text)
        {
            throw new FloorWireException($"'{name}' is not a string of 1 to 255 characters");
        }

        return text;
    }

    private static uint BurstId(JsonElement element) =>
        element.TryGetProperty("burst_id", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out var id) && id != 0
            ? id
            : throw new FloorWireException("'burst_id' is missing or not a number from 1 to 4294967295");

    private static long Number(JsonElement element, string name) =>
        OptionalNumber(element, name) ?? throw new FloorWireException($"'{name}' is missing");

    private static long? OptionalNumber(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0
            ? number
            : throw new FloorWireException($"'{name}' is not a non-negative integer");
    }

    private sealed class FloorWireException(string message) : Exception(message);
}
