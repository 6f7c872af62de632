namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// Another running gateway holds this gateway's id in the shared database: two processes with one id would hold the
/// same channel leases and both serve the channels, so this one takes none.
/// </summary>
public sealed class GatewayIdInUseException(string gatewayId, string database)
    : InvalidOperationException($"another gateway with the id '{gatewayId}' is running on {database}; give each gateway its own "
        + "Sites:GatewayId (or its own data folder, where the id is kept), or stop the other one")
{
    public string GatewayId { get; } = gatewayId;
}
