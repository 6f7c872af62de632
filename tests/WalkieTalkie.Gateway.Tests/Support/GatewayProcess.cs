using System.Collections.Concurrent;
using System.Diagnostics;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// The real gateway executable (<c>dotnet exec walkie.dll run</c>, the build copied next to the tests) as a child
/// process on a loopback port, with its console output kept.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process) => _process = process;

    public ConcurrentQueue<string> Output { get; } = new();

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// <c>walkie run</c> in development mode with plain MQTT on loopback <paramref name="port"/> and nothing else listening
    /// (no TLS, no HTTP), then <paramref name="settings"/>.
    /// </summary>
    public static Task<GatewayProcess> StartAsync(string dataDirectory, int port, params string[] settings) =>
        StartWithAsync(dataDirectory, port, ["--Gateway:Development=true", "--Mqtt:BindAddress=127.0.0.1", $"--Mqtt:Port={port}", "--Mqtt:TlsPort=0",
            "--Http:Port=0", "--Http:TlsPort=0", .. settings]);

    /// <summary><c>walkie run --data {dataDirectory}</c> with only <paramref name="settings"/>, once <paramref name="port"/> listens.</summary>
    public static async Task<GatewayProcess> StartWithAsync(string dataDirectory, int port, params string[] settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "walkie.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        foreach (var arg in new[] { "exec", dll, "run", "--data", dataDirectory }.Concat(settings))
        {
            info.ArgumentList.Add(arg);
        }

        var gateway = new GatewayProcess(Process.Start(info)!);
        gateway._process.OutputDataReceived += (_, e) => gateway.Output.Enqueue(e.Data ?? "");
        gateway._process.ErrorDataReceived += (_, e) => gateway.Output.Enqueue(e.Data ?? "");
        gateway._process.BeginOutputReadLine();
        gateway._process.BeginErrorReadLine();
        if (!await FreePort.WaitListeningAsync(port, 30000))
        {
            await gateway.DisposeAsync();
            throw new InvalidOperationException("the gateway did not start: " + string.Join("\n", gateway.Output));
        }

        return gateway;
    }

    /// <summary>SIGKILL: .NET's Process.Kill on Linux sends signal 9; the gateway gets no chance to clean up.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
