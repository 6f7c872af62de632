using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WalkieTalkie.Gateway.Tests.Support.Scale;

/// <summary>
/// A scaled-out site's broker cluster and database as <c>scripts/cluster</c> starts them (docs/scale.md): three
/// RabbitMQ nodes speaking MQTT (quorum queues, so sessions survive a node) and PostgreSQL run as an unprivileged user,
/// all on loopback, in a folder and on ports of their own. Started once for a test class (a class fixture: RabbitMQ
/// nodes take a minute to start on a busy machine), stopped and deleted after it.
/// </summary>
public sealed class RabbitCluster : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wt-cluster-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly int _portBase = FreePortBase();
    private Dictionary<string, string> _env = new();

    /// <summary>The MQTT port of node 1, 2 and 3 (index 0 to 2).</summary>
    public int[] MqttPorts => [_portBase + 1, _portBase + 2, _portBase + 3];

    public string GatewayUser => _env["WALKIE_MQTT_USER"];

    public string GatewayPassword => _env["WALKIE_MQTT_PASSWORD"];

    public string PostgresConnectionString => _env["WALKIE_POSTGRES"];

    public async Task InitializeAsync()
    {
        await RunAsync(TimeSpan.FromMinutes(10), "up");
        _env = File.ReadAllLines(Path.Combine(_directory, "env"))
            .Where(l => l.Contains('=') && !l.StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
    }

    /// <summary>Lets badges in, each on its own topics (<c>scripts/cluster badges</c>: the secrets go by an owner-only file, not the command line).</summary>
    public async Task AddBadgesAsync(IReadOnlyDictionary<string, string> secrets)
    {
        var file = Path.Combine(_directory, "badges.txt");
        var lines = string.Concat(secrets.Select(s => $"{s.Key} {s.Value}\n"));
        WalkieTalkie.Gateway.Security.OwnerOnly.WriteAllBytes(file, System.Text.Encoding.UTF8.GetBytes(lines));
        try
        {
            await RunAsync(TimeSpan.FromMinutes(2), "badges", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>SIGKILL to node <paramref name="node"/> (1 to 3): lost as a machine would be, its clients cut off.</summary>
    public Task KillNodeAsync(int node) => RunAsync(TimeSpan.FromSeconds(30), "kill", node.ToString());

    public Task DisposeAsync() => RunAsync(TimeSpan.FromMinutes(2), "down");

    private async Task RunAsync(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepositoryFiles.PathOf("scripts/cluster"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["WALKIE_CLUSTER_DIR"] = _directory;
        info.Environment["WALKIE_CLUSTER_MQTT_PORT"] = _portBase.ToString();
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"scripts/cluster {string.Join(' ', args)} took over {timeout}: {output}{await error}");
        }

        if (process.ExitCode != 0)
        {
            // The CLI's own account of what went wrong, before down deletes the folder.
            var ctlLog = Path.Combine(_directory, "ctl.log");
            var tail = File.Exists(ctlLog) ? string.Join("\n", File.ReadLines(ctlLog).Where(l => l.Trim().Length > 0).TakeLast(20)) : "";
            throw new InvalidOperationException($"scripts/cluster {string.Join(' ', args)} failed ({process.ExitCode}): {output}{await error}\n{tail}");
        }
    }

    // The script's ports are base+1..3 (MQTT), +11..13 (AMQP), +21..23 (distribution), +25 (epmd), +40 (PostgreSQL) and
    // +60..+89 (the CLI): a base below the ephemeral range whose ports are all free now.
    private static int FreePortBase()
    {
        int[] offsets = [1, 2, 3, 11, 12, 13, 21, 22, 23, 25, 40, .. Enumerable.Range(60, 30)];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var portBase = Random.Shared.Next(200, 300) * 100;
            if (offsets.All(o => IsFree(portBase + o)))
            {
                return portBase;
            }
        }

        throw new InvalidOperationException("no free range of ports for the cluster");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
