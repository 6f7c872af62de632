using System.Text.Json.Nodes;

namespace WalkieTalkie.Gateway.Sites.Discovery;

/// <summary>
/// Content of <c>org.matrix.msc4002.gateway</c> (state, <c>state_key</c> = the gateway's id): a gateway serving the room
/// and where its live link is. Sent by the gateway's granter account; empty content withdraws it.
/// </summary>
/// <param name="GatewayId">The gateway's id (equal to the state key).</param>
/// <param name="Endpoint">The live link's URL (<c>wss://</c>; <c>ws://</c> only between development gateways).</param>
/// <param name="Fingerprint">The SHA-256 of the link's TLS certificate (DER), lowercase hex; empty for a plain endpoint.</param>
public sealed record GatewayAnnouncement(string GatewayId, string Endpoint, string Fingerprint)
{
    public const string EventType = "org.matrix.msc4002.gateway";

    /// <summary>Whether the endpoint is TLS (<c>wss://</c>).</summary>
    public bool IsSecure => Endpoint.StartsWith("wss://", StringComparison.Ordinal);

    public JsonObject ToContent() => new()
    {
        ["gateway_id"] = GatewayId,
        ["endpoint"] = Endpoint,
        ["fingerprint_sha256"] = Fingerprint,
    };

    /// <summary>
    /// The announcement in a state event's content, or null with <paramref name="problem"/> (empty content is a
    /// withdrawal: null, no problem). The id must equal the state key, the endpoint be a ws/wss URL, and a wss one carry
    /// a 64-digit fingerprint.
    /// </summary>
    public static GatewayAnnouncement? Parse(string stateKey, JsonObject? content, out string? problem)
    {
        problem = null;
        if (content is null || content.Count == 0)
        {
            return null;
        }

        var id = Text(content, "gateway_id");
        var endpoint = Text(content, "endpoint");
        var fingerprint = Text(content, "fingerprint_sha256") ?? "";
        if (id is null || id != stateKey || !GatewayIdentity.IsValid(id))
        {
            problem = "gateway_id missing, invalid or not the state key";
            return null;
        }

        if (endpoint is null || endpoint.Length > 2048 || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            problem = "endpoint is not a ws:// or wss:// URL";
            return null;
        }

        if (uri.Scheme == "wss" && !IsFingerprint(fingerprint))
        {
            problem = "a wss endpoint without a SHA-256 fingerprint (64 hex digits)";
            return null;
        }

        return new GatewayAnnouncement(id, endpoint, fingerprint.ToLowerInvariant());
    }

    private static bool IsFingerprint(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigit);

    private static string? Text(JsonObject content, string name) =>
        content[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
