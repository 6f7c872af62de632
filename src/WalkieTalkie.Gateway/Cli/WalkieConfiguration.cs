using Microsoft.Extensions.Configuration;
using WalkieTalkie.Gateway.Badges;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Logging;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Gateway.Transports;

namespace WalkieTalkie.Gateway.Cli;

/// <summary>
/// Settings as the service and the CLI both read them: <c>appsettings.json</c> (next to the executable, then the
/// working directory), environment variables (<c>WALKIE_Gateway__DataDirectory</c>, ...), then command-line
/// overrides (<c>--Mqtt:Port=1884</c>), and <c>--data</c> last.
/// </summary>
public static class WalkieConfiguration
{
    public const string EnvironmentPrefix = "WALKIE_";

    public static IConfigurationBuilder AddWalkieSources(this IConfigurationBuilder builder, string[] overrides)
    {
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddCommandLine(overrides);
        return builder;
    }

    public static IConfiguration Build(string[] overrides, string? dataDirectory)
    {
        var builder = new ConfigurationBuilder().AddWalkieSources(overrides);
        if (dataDirectory is not null)
        {
            builder.AddInMemoryCollection([new("Gateway:DataDirectory", dataDirectory)]);
        }

        return builder.Build();
    }

    public static Http.HttpOptions BindHttp(IConfiguration configuration)
    {
        var http = new Http.HttpOptions();
        configuration.GetSection("Http").Bind(http);
        return http;
    }

    public static (GatewayOptions Gateway, MqttOptions Mqtt, FloorOptions Floor) Bind(IConfiguration configuration)
    {
        var gateway = new GatewayOptions();
        var mqtt = new MqttOptions();
        var floor = new FloorOptions();
        configuration.GetSection("Gateway").Bind(gateway);
        configuration.GetSection("Mqtt").Bind(mqtt);
        configuration.GetSection("Floor").Bind(floor);
        return (gateway, mqtt, floor);
    }
}
