using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Storage.Sqlite;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie run</c>: the service; extra <c>--Section:Key=value</c> tokens override settings.</summary>
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
            var builder = GatewayApplication.CreateBuilder(b =>
            {
                b.Configuration.AddWalkieSources(parse.UnmatchedTokens.ToArray(), parse.GetValue(data));
                b.Logging.ClearProviders();
                b.Logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                });
            });
            await using var app = GatewayApplication.Build(builder);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (OptionsValidationException e)
            {
                Console.Error.WriteLine("error: " + string.Join("; ", e.Failures));
                return 2;
            }

            var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            app.Logger.LogInformation("Gateway running; data in {DataDirectory}, database {Database}",
                Path.GetFullPath(gateway.DataDirectory), app.Services.GetRequiredService<SqliteDatabase>().Path);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
