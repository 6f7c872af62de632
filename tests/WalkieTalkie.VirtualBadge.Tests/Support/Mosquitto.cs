using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WalkieTalkie.Badge.Simulation.Tests.Support;

/// <summary>A Mosquitto broker of our own: a generated config, a free loopback port, killed when disposed.</summary>
public sealed class Mosquitto : IDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";

    private readonly Process _process;
    private readonly string _folder;

    private Mosquitto(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public static bool IsInstalled => File.Exists(Executable);

    /// <summary>Starts the broker and waits (at most 5 s) until it accepts connections.</summary>
    public static Mosquitto Start()
    {
        var port = FreePort();
        var folder = Directory.CreateTempSubdirectory("wt-mosquitto-").FullName;
        var config = Path.Combine(folder, "mosquitto.conf");
        File.WriteAllText(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence false
            log_dest stderr
            log_type error
            log_type warning

            """);
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        var broker = new Mosquitto(process, folder, port);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return broker;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(50);
            }
            catch (SocketException)
            {
                var error = process.HasExited ? process.StandardError.ReadToEnd() : "not listening after 5 s";
                broker.Dispose();
                throw new InvalidOperationException($"mosquitto on port {port}: {error}");
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5_000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
