using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Hosting;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie run</c>: the service on the Generic Host; extra <c>--Section:Key=value</c> tokens override settings.</summary>
public static class RunCommand
{
    public static Command Create(Option<string?> data)
    {
        var command = new Command("run", "Run the gateway service (embedded MQTT broker unless Mqtt:Mode=External)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = parse.UnmatchedTokens.ToArray();
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddWalkieSourcesTo(overrides, parse.GetValue(data));
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
            builder.Services.AddHostedService<GatewayService>();
            using var host = builder.Build();
            await host.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static void AddWalkieSourcesTo(this Microsoft.Extensions.Configuration.ConfigurationManager configuration, string[] overrides, string? data)
    {
        WalkieConfiguration.AddWalkieSources(configuration, overrides);
        if (data is not null)
        {
            Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(configuration,
                [new("Gateway:DataDirectory", data)]);
        }
    }
}
