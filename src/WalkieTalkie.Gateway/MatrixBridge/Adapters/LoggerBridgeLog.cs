using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Ports;

namespace WalkieTalkie.Gateway.MatrixBridge.Adapters;

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
