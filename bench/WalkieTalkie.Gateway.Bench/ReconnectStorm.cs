using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using WalkieTalkie.Gateway.Transports;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>One row of the reconnect storm's table; times in seconds from the restarted gateway's listening socket.</summary>
public sealed record StormResult(int Badges, double FirstServedSeconds, double StopSeconds, double StartSeconds, int Reconnected, int Served,
    double AllConnectedSeconds, double AllServedSeconds, double P50Seconds, double P99Seconds, int Refused, int Dropped, int Lost,
    double GatewayCpuSeconds, double ClientsCpuSeconds, double GatewayRssMb, string LoadBefore, string LoadAfter);

/// <summary>
/// A gateway restart with every badge connected: <paramref name="badges"/> badges registered as the gateway stores
/// them connect from child processes (<see cref="StormClients"/>, so the gateway's process holds only the gateway) as
/// the device does, until each is served; then the gateway stops and starts again on the same data folder and port,
/// with the default <see cref="LimitOptions"/>, and the badges reconnect with the device's fixed 1 s delay. A badge is
/// back when its CONNECT is accepted, served when the gateway's config, its answer to the badge's state, reaches it
/// through its new subscription.
/// </summary>
public static class ReconnectStorm
{
    public static async Task<StormResult> RunAsync(int badges, int perProcess, int spreadMilliseconds, TimeSpan limit)
    {
        var ids = Enumerable.Range(1, badges).Select(i => $"storm-{i:D5}").ToList();
        await using var gateway = await BenchGateway.StartAsync(ids, 8000, 0, limits: new LimitOptions());
        var secrets = Path.GetTempFileName();
        await File.WriteAllLinesAsync(secrets, ids.Select(id => $"{id} {gateway.Secrets[id]}"));
        var children = new List<Process>();
        try
        {
            var clock = Stopwatch.StartNew();
            for (var start = 0; start < badges; start += perProcess)
            {
                var child = ClientProcess.Start("storm-clients", gateway.Port.ToString(), secrets, start.ToString(), Math.Min(perProcess, badges - start).ToString(),
                    spreadMilliseconds.ToString(), start.ToString());
                children.Add(child);
                await ExpectLineAsync(child, "STARTED");
            }

            var (_, firstServed) = await WaitAsync(children, badges, limit);
            if (firstServed < badges)
            {
                throw new InvalidOperationException($"only {firstServed} of {badges} badges were served before the restart");
            }

            var firstServedSeconds = clock.Elapsed.TotalSeconds;
            var clientsCpuBefore = children.Select(c => ProcessCpu.Read(c.Id)).ToList();
            clock.Restart();
            await gateway.StopAsync();
            var stopSeconds = clock.Elapsed.TotalSeconds;
            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("MARK");
                await ExpectLineAsync(child, "MARKED");
            }

            var loadBefore = Load();
            using var self = Process.GetCurrentProcess();
            using var probing = new CancellationTokenSource(limit);
            var listening = ListeningAsync(gateway.Port, probing.Token);
            var startedAt = Stopwatch.GetTimestamp();
            await gateway.StartAgainAsync();
            var (listeningAt, cpuAtListening) = await listening;
            var startSeconds = Stopwatch.GetElapsedTime(startedAt, listeningAt).TotalSeconds;
            var (reconnected, served) = await WaitAsync(children, badges, limit);
            var gatewayCpu = cpuAtListening.Since().Total.TotalSeconds;
            self.Refresh();
            var rssMb = self.WorkingSet64 / (1024.0 * 1024.0);
            var clientsCpu = clientsCpuBefore.Sum(c => c.Since().Total.TotalSeconds);
            var loadAfter = Load();

            var connectedAt = new List<double>(badges);
            var servedAt = new List<double>(badges);
            int refused = 0, dropped = 0, lost = 0;
            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("REPORT");
                while (await child.StandardOutput.ReadLineAsync() is { } line && line != "END")
                {
                    var parts = line.Split(' ');
                    if (long.Parse(parts[1]) is var connected and not 0)
                    {
                        connectedAt.Add(Stopwatch.GetElapsedTime(listeningAt, connected).TotalSeconds);
                    }

                    if (long.Parse(parts[2]) is var answered and not 0)
                    {
                        servedAt.Add(Stopwatch.GetElapsedTime(listeningAt, answered).TotalSeconds);
                    }

                    refused += int.Parse(parts[3]);
                    dropped += int.Parse(parts[4]);
                    lost += int.Parse(parts[5]);
                }
            }

            connectedAt.Sort();
            servedAt.Sort();
            return new StormResult(badges, firstServedSeconds, stopSeconds, startSeconds, reconnected, served,
                connectedAt.Count == badges ? connectedAt[^1] : double.NaN, servedAt.Count == badges ? servedAt[^1] : double.NaN,
                FanoutLatency.Percentile(servedAt, 0.50), FanoutLatency.Percentile(servedAt, 0.99), refused, dropped, lost, gatewayCpu, clientsCpu, rssMb,
                loadBefore, loadAfter);
        }
        finally
        {
            ClientProcess.StopAll(children);
            File.Delete(secrets);
        }
    }

    /// <summary>Polls the children until every badge is served or <paramref name="limit"/> passed; the last counts.</summary>
    private static async Task<(int Connected, int Served)> WaitAsync(List<Process> children, int badges, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            int connected = 0, served = 0;
            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("STATUS");
                var parts = (await ExpectLineAsync(child, "STATUS ")).Split(' ');
                connected += int.Parse(parts[1]);
                served += int.Parse(parts[2]);
            }

            if (served >= badges || DateTime.UtcNow >= until)
            {
                return (connected, served);
            }

            await Task.Delay(250);
        }
    }

    /// <summary>When the port first accepts a connection, and this process's CPU time then.</summary>
    private static async Task<(long At, ProcessCpu Cpu)> ListeningAsync(int port, CancellationToken stopping)
    {
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port, stopping);
                return (Stopwatch.GetTimestamp(), ProcessCpu.Self());
            }
            catch (SocketException)
            {
                await Task.Delay(2, stopping);
            }
        }
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static async Task<string> ExpectLineAsync(Process child, string prefix) =>
        await ClientProcess.ReadLineStartingAsync(child, prefix)
        ?? throw new InvalidOperationException($"a storm client process ended before it said {prefix.Trim()}");
}
