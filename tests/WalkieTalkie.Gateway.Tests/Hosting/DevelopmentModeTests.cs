using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Hosting;

/// <summary>
/// Plain ports open only by an explicit development switch (<c>walkie run --dev</c>), and the gateway then says at
/// start that secrets and voices cross the network in clear. Without it a plain port is refused
/// (<see cref="SettingsValidationTests"/>).
/// </summary>
public sealed class DevelopmentModeTests
{
    [Fact]
    public async Task Walkie_run_dev_opens_the_plain_port_and_warns()
    {
        var data = Directory.CreateTempSubdirectory("wt-dev-").FullName;
        try
        {
            var port = FreePort.Next();
            await using var gateway = await GatewayProcess.StartWithAsync(data, port, "--dev", "--Mqtt:BindAddress=127.0.0.1", $"--Mqtt:Port={port}",
                "--Mqtt:TlsPort=0", "--Http:Port=0", "--Http:TlsPort=0");
            Assert.True(await Eventually.TrueAsync(() => gateway.Output.Any(l => l.Contains("warn:", StringComparison.Ordinal)
                && l.Contains($"Development mode: plain MQTT port {port}", StringComparison.Ordinal)),
                timeoutMs: 30000), string.Join("\n", gateway.Output));
        }
        finally
        {
            Directory.Delete(data, true);
        }
    }
}
