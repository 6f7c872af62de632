using System.ComponentModel.DataAnnotations;

namespace WalkieTalkie.Gateway.Sites;

/// <summary>
/// The <c>Sites</c> configuration section: linking this gateway live to the other gateways of its rooms (another house,
/// another warehouse). Off until <see cref="Endpoint"/> is set and the Matrix bridge is configured.
/// </summary>
public sealed class SiteOptions
{
    /// <summary>
    /// Where the other gateways reach this one's live link, announced in the rooms: <c>wss://house.example.net:8443/sites/v1/link</c>
    /// (the HTTPS port of <c>Http:TlsPort</c>, reachable from the other sites). A plain <c>ws://</c> one only in development.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>This gateway's id in the rooms (state keys, links); made once and kept in the data folder when not set.</summary>
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,62}$")]
    public string? GatewayId { get; set; }

    /// <summary>How often the linked rooms' state is read again (the other gateways' announcements) and this one's renewed.</summary>
    [Range(0.1, 3600)]
    public double StateRereadSeconds { get; set; } = 30;

    /// <summary>The longest wait between two attempts to reach another gateway (they start at 1 s and double).</summary>
    [Range(0.1, 3600)]
    public double ReconnectMaxSeconds { get; set; } = 30;

    /// <summary>Frames waiting to go to one other gateway before new ones are given up (a link that does not read).</summary>
    [Range(16, 100_000)]
    public int MaxQueuedFrames { get; set; } = 500;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);
}
