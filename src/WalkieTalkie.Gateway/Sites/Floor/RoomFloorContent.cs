using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalkieTalkie.Gateway.Sites.Floor;

/// <summary>
/// The content of <c>org.matrix.msc4002.floor</c> (state, <c>state_key</c> ""): a claim names the gateway, its burst, the
/// talker (its Matrix account and device when it has one) and the lease; a release repeats the claim with
/// <c>released_ts</c> added, so the room's state always says who held the floor last (docs/protocol.md).
/// </summary>
public static class RoomFloorContent
{
    public const string EventType = "org.matrix.msc4002.floor";

    private const int MaxText = 255;

    /// <summary>
    /// What a gateway says about one of its bursts: the talker and, where known, the talker's Matrix account; whether it
    /// is an open emergency's (SOS).
    /// </summary>
    public sealed record Burst(string GatewayId, uint BurstId, string Talker, string? UserId, string? DeviceId, long LeaseUntilTs, bool Emergency = false);

    public static JsonObject Claim(Burst burst)
    {
        var content = new JsonObject
        {
            ["gateway_id"] = burst.GatewayId,
            ["burst_id"] = burst.BurstId,
            ["talker"] = burst.Talker,
            ["lease_until_ts"] = burst.LeaseUntilTs,
        };
        if (burst.UserId is not null && burst.DeviceId is not null)
        {
            content["user_id"] = burst.UserId;
            content["device_id"] = burst.DeviceId;
        }

        // Only when true: an ordinary claim reads as before, and a gateway that predates the flag ignores the key.
        if (burst.Emergency)
        {
            content["emergency"] = true;
        }

        return content;
    }

    public static JsonObject Release(Burst burst, long releasedTs)
    {
        var content = Claim(burst);
        content["released_ts"] = releasedTs;
        return content;
    }

    /// <summary>
    /// The claim or release an event of the room holds, or null with <paramref name="problem"/>: the gateway id, burst id
    /// (1 to 2^32-1), talker and lease are required; <c>released_ts</c>, when present, makes it a release; <c>emergency</c>,
    /// when present, is a boolean (missing: not an emergency).
    /// </summary>
    public static RoomFloorEvent? Parse(string eventId, long originServerTs, JsonObject? content, out string? problem)
    {
        problem = null;
        var gatewayId = Text(content, "gateway_id");
        var talker = Text(content, "talker");
        var burstId = Number(content, "burst_id");
        var lease = Number(content, "lease_until_ts");
        if (gatewayId is null || !GatewayIdentity.IsValid(gatewayId))
        {
            problem = "gateway_id missing or invalid";
        }
        else if (burstId is not (>= 1 and <= uint.MaxValue))
        {
            problem = "burst_id missing or not 1 to 2^32-1";
        }
        else if (talker is null)
        {
            problem = "talker missing or not 1 to 255 characters";
        }
        else if (lease is not >= 0)
        {
            problem = "lease_until_ts missing or negative";
        }
        else if (Emergency(content!) is not { } emergency)
        {
            problem = "emergency is not a boolean";
        }
        else if (content!.ContainsKey("released_ts"))
        {
            return Number(content, "released_ts") is >= 0
                ? new RoomFloorRelease(eventId, originServerTs, gatewayId, (uint)burstId)
                : Invalid(out problem, "released_ts is not a time");
        }
        else
        {
            return new RoomFloorClaim(eventId, originServerTs, gatewayId, (uint)burstId, talker, lease.Value, emergency);
        }

        return null;
    }

    private static RoomFloorEvent? Invalid(out string problem, string why)
    {
        problem = why;
        return null;
    }

    // Missing: not an emergency (a gateway that predates the flag, or an ordinary claim); null: not a boolean.
    private static bool? Emergency(JsonObject content) =>
        !content.TryGetPropertyValue("emergency", out var node) ? false
        : node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValue<bool>()
        : null;

    private static string? Text(JsonObject? content, string name) =>
        content?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length is > 0 and <= MaxText ? text : null;

    private static long? Number(JsonObject? content, string name) =>
        content?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && long.TryParse(value.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
}
