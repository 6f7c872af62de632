using System.Diagnostics;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// A real Mosquitto on a free loopback port, configured as docs/gateway.md says: no anonymous clients, a password
/// file (badges and the gateway), an ACL file whose pattern rules give each badge its own up/ (write) and
/// down/ (read) topics, and no packet larger than the protocol's largest message. Started per test, stopped and deleted afterwards.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    public const string GatewayUser = "walkie-gateway";

    /// <summary>Debian installs the broker in /usr/sbin, often not on a user's PATH.</summary>
    private static readonly string Executable = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";

    private readonly Process _process;
    private readonly string _directory;

    private MosquittoBroker(Process process, string directory, int port, string gatewayPassword)
    {
        _process = process;
        _directory = directory;
        Port = port;
        GatewayPassword = gatewayPassword;
    }

    public int Port { get; }

    public string GatewayPassword { get; }

    /// <summary>Starts a broker letting in the badges and the gateway (with <paramref name="gatewayPassword"/>, or a new one).</summary>
    public static async Task<MosquittoBroker> StartAsync(IReadOnlyDictionary<string, string> badgeSecrets, string? gatewayPassword = null)
    {
        var directory = Directory.CreateTempSubdirectory("wt-mosquitto-").FullName;
        var port = FreePort.Next();
        gatewayPassword ??= Guid.NewGuid().ToString("N");
        var passwords = Path.Combine(directory, "passwd");
        File.WriteAllText(passwords, "");
        await RunAsync("mosquitto_passwd", "-b", passwords, GatewayUser, gatewayPassword);
        foreach (var (id, secret) in badgeSecrets)
        {
            await RunAsync("mosquitto_passwd", "-b", passwords, id, secret);
        }

        var acl = Path.Combine(directory, "acl");
        File.WriteAllText(acl, $"""
            user {GatewayUser}
            topic readwrite wt/v1/#

            pattern write wt/v1/%u/up/#
            pattern read wt/v1/%u/down/#
            """);
        var config = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous false
            password_file {passwords}
            acl_file {acl}
            max_packet_size {WalkieTalkie.Gateway.Transports.Mqtt.MqttLimits.MaxPacketBytes}
            persistence false
            log_dest stderr
            user {Environment.UserName}
            """);
        // Started as root, Mosquitto drops to the user named in its config: ours, who can read the files.
        var process = Process.Start(new ProcessStartInfo(Executable, ["-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (!await FreePort.WaitListeningAsync(port))
        {
            process.Kill();
            throw new InvalidOperationException("mosquitto did not start");
        }

        return new MosquittoBroker(process, directory, port, gatewayPassword);
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {await process.StandardError.ReadToEndAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, true);
    }
}
