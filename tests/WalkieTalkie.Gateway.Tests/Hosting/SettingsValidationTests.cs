using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Hosting;

/// <summary>Settings are bound and validated at start: a bad value stops the gateway with a clear error, not a stack trace.</summary>
public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("--Mqtt:Port=99999", "Port")]
    [InlineData("--Http:BindAddress=nope", "Http:BindAddress is not an IP address")]
    [InlineData("--Gateway:BlocksPerFrame=0", "BlocksPerFrame")]
    [InlineData("--Floor:LeaseSeconds=0", "LeaseSeconds")]
    [InlineData("--Mqtt:Mode=Carrier", "Mqtt:Mode is Embedded or External")]
    [InlineData("--Mqtt:Port=1883", "Mqtt:Port is a plain (unencrypted) port, for development only: add --dev")]
    [InlineData("--Http:Port=8080", "Http:Port is a plain (unencrypted) port, for development only: add --dev")]
    [InlineData("--Storage:Provider=postgres", "Storage:Provider is postgres but Storage:ConnectionString is missing")]
    [InlineData("--Storage:Provider=mysql", "Storage:Provider is 'mysql': it is sqlite or postgres")]
    [InlineData("--Mqtt:ExternalNodes=n1:18831,n2:port", "Mqtt:ExternalNodes has 'n2:port'")]
    [InlineData("--Mqtt:ExternalControlAckSeconds=0", "ExternalControlAckSeconds")]
    public async Task Walkie_run_refuses_a_bad_setting_with_exit_code_2_and_names_it(string setting, string named)
    {
        var data = Directory.CreateTempSubdirectory("wt-settings-").FullName;
        try
        {
            var (exitCode, output, error) = await WalkieProcess.RunAsync(data, "run", "--data", data, "--Http:Port=0", setting);

            Assert.Equal(2, exitCode);
            Assert.Contains("error: invalid settings: ", error);
            Assert.Contains(named, error);
            Assert.DoesNotContain("   at ", error + output);
        }
        finally
        {
            Directory.Delete(data, true);
        }
    }

    [Fact]
    public async Task A_gateway_started_from_options_objects_validates_them_too()
    {
        var data = Directory.CreateTempSubdirectory("wt-settings-").FullName;
        try
        {
            var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync(
                new GatewayOptions { DataDirectory = data, ReplayLeadFrames = 9, Development = true },
                new MqttOptions { BindAddress = "127.0.0.1", Port = FreePort.Next(), TlsPort = 0 },
                new FloorOptions(), new ListLoggerProvider()));
            Assert.Contains("ReplayLeadFrames", failure.Message);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, true);
        }
    }
}
