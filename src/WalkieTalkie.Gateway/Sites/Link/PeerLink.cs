namespace WalkieTalkie.Gateway.Sites.Link;

/// <summary>A live link to another gateway: its connection, the rooms it was accepted for, and the bursts under way each way.</summary>
public sealed class PeerLink(string gatewayId, IReadOnlyList<string> roomIds, SiteConnection connection, bool dialed)
{
    public string GatewayId { get; } = gatewayId;

    /// <summary>The rooms both gateways serve and that the handshake accepted.</summary>
    public IReadOnlyList<string> RoomIds { get; } = roomIds;

    public SiteConnection Connection { get; } = connection;

    /// <summary>This gateway dialed the link (it reconnects it).</summary>
    public bool Dialed { get; } = dialed;

    /// <summary>The peer's bursts started on this link (its burst id → this gateway's channel); read and written by the link's receive loop.</summary>
    internal Dictionary<uint, byte> Incoming { get; } = new();

    /// <summary>Completes when the link's receive loop has ended: nothing it read is handed on after that.</summary>
    internal TaskCompletionSource Served { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
