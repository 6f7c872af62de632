using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sql;

namespace WalkieTalkie.Gateway.Cli;

/// <summary>
/// <c>walkie run</c>: the service, TLS only; extra <c>--Section:Key=value</c> tokens override settings, and <c>--dev</c>
/// adds the plain ports (<see cref="DevelopmentMode"/>).
/// </summary>
public static class RunCommand
{
    public static Command Create(Option<string?> data)
    {
        var dev = new Option<bool>("--dev") { Description = "Development: also plain MQTT (1883) and HTTP (8080), without TLS; never on a real site" };
        var command = new Command("run", "Run the gateway service (embedded MQTT broker unless Mqtt:Mode=External)")
        {
            dev,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = GatewayApplication.CreateBuilder(b =>
            {
                b.Configuration.AddWalkieSources(parse.UnmatchedTokens.ToArray(), parse.GetValue(data));
                if (parse.GetValue(dev))
                {
                    b.Configuration.AddInMemoryCollection(DevelopmentMode.Settings(b.Configuration));
                }
                b.Logging.ClearProviders();
                b.Logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                });
            });
            WebApplication app;
            try
            {
                app = GatewayApplication.Build(builder);
                app.Services.GetRequiredService<IStartupValidator>().Validate();
            }
            catch (Exception e) when (e is OptionsValidationException or AggregateException)
            {
                var failures = e is AggregateException all ? all.InnerExceptions.OfType<OptionsValidationException>().SelectMany(f => f.Failures)
                    : ((OptionsValidationException)e).Failures;
                Console.Error.WriteLine("error: invalid settings: " + string.Join("; ", failures));
                return 2;
            }

            await using var running = app;

            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception e) when (e is RecordingKeyException or StorageUnavailableException or GatewayIdInUseException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }

            var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            app.Logger.LogInformation("Gateway running; data in {DataDirectory}, database {Database}",
                Path.GetFullPath(gateway.DataDirectory), app.Services.GetRequiredService<SqlDatabase>().Description);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
