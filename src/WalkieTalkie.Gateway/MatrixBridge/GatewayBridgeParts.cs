using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Bridging.Ports;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Mirroring;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// <see cref="IPermitTable"/> for the outgoing path: the channel's badges with their Matrix devices. Mirroring the
/// permit table into the room is not wired in this build: it lists no permit rows, and a change from the room is
/// logged and not applied (the host never calls <c>MirrorPermitsAsync</c>).
/// </summary>
public sealed class LinkedBadgeTable(BridgeLinks links, ILogger logger) : IPermitTable
{
    /// <inheritdoc />
    public IReadOnlyList<BadgeAccount> BadgesOf(string channel) =>
        links.BadgesOf(channel).Select(b => new BadgeAccount(b.BadgeId, new DeviceKey(b.UserId, b.DeviceId))).ToList();

    /// <inheritdoc />
    public IReadOnlyList<GatewayPermit> RowsOf(string channel) => [];

    /// <inheritdoc />
    public void Apply(GatewayPermitChange change) =>
        logger.LogWarning("Permit change from the room not applied (mirroring is not wired in this build): {Change}", change);
}

/// <summary><see cref="IBridgeLog"/> on an <see cref="ILogger"/>.</summary>
public sealed class LoggerBridgeLog(ILogger logger) : IBridgeLog
{
    /// <inheritdoc />
    public void Write(BridgeLogLevel level, string message) => logger.Log(level switch
    {
        BridgeLogLevel.Debug => LogLevel.Debug,
        BridgeLogLevel.Info => LogLevel.Information,
        _ => LogLevel.Warning,
    }, "{Message}", message);
}
