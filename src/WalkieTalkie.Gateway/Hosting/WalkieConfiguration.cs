using Microsoft.Extensions.Configuration;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// Settings as the service and the CLI both read them: <c>appsettings.json</c> (next to the executable, then the
/// working directory), environment variables (<c>WALKIE_Gateway__DataDirectory</c>, ...), then command-line
/// overrides (<c>--Mqtt:Port=1884</c>), and <c>--data</c> last.
/// </summary>
public static class WalkieConfiguration
{
    public const string EnvironmentPrefix = "WALKIE_";

    public static IConfigurationBuilder AddWalkieSources(this IConfigurationBuilder builder, string[] overrides, string? dataDirectory)
    {
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddCommandLine(overrides);
        if (dataDirectory is not null)
        {
            builder.AddInMemoryCollection([new("Gateway:DataDirectory", dataDirectory)]);
        }

        return builder;
    }

    public static IConfiguration Build(string[] overrides, string? dataDirectory) =>
        new ConfigurationBuilder().AddWalkieSources(overrides, dataDirectory).Build();
}
