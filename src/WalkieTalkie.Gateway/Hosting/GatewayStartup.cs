using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// First to start, last to stop. At start: the data folder is made owner-only, recordings a killed gateway left
/// unfinished are recovered (when this gateway is its database's only one: gateways that share one recover a channel's
/// when they come to own it, since another may still be writing them), burst ids are reserved past every id in use, and the engine gets the registry and the
/// voice messages that were waiting (the transports need the registry to let badges in). At stop: the storage worker
/// writes everything still queued.
/// </summary>
public sealed class GatewayStartup(RecordingRecovery recovery, IChannelLeases leases, IRecordingIndex recordings, QueuedMessageFiles queued, BurstIdBlocks burstIds,
    IRegistryReader registry, GatewayEngine engine, StorageWorker worker, IOptions<GatewayOptions> options, IOptions<MqttOptions> mqtt,
    IOptions<HttpOptions> http, IOptions<MatrixBridgeOptions> matrix, ILogger<GatewayStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Development)
        {
            logger.LogWarning("Development mode: plain MQTT port {MqttPort} and plain HTTP port {HttpPort} (0: closed) take badge secrets and "
                + "voices without TLS; never use it on a real site", mqtt.Value.IsExternal ? 0 : mqtt.Value.Port, http.Value.Port);
        }

        await Task.Run(() =>
        {
            var gateway = options.Value;
            DataFolder.Secure(gateway.DataDirectory, gateway.ResolveDatabasePath(), gateway.ResolveRecordingsDirectory(),
                matrix.Value.ResolveDirectory(gateway.DataDirectory));
            var recovered = leases.HoldsEveryChannel ? recovery.Recover() : 0;
            if (recovered > 0)
            {
                logger.LogWarning("Recovered {Count} recordings cut short by an earlier stop", recovered);
            }

            burstIds.Start(Math.Max(recordings.NextBurstId(), queued.HighestBurstId() + 1));
        }, cancellationToken);
        await engine.LoadAsync(await Task.Run(registry.Load, cancellationToken));
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await worker.DisposeAsync();
}
