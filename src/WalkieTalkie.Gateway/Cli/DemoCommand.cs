using System.CommandLine;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Demo;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie demo</c>: the gateway embedded with virtual badges holding a scripted conversation.</summary>
public static class DemoCommand
{
    public static Command Create(Option<string?> data)
    {
        var output = new Option<string>("--out") { Description = "Where the badges' microphone and heard WAVs go", DefaultValueFactory = _ => "walkie-demo" };
        var port = new Option<int>("--port") { Description = "MQTT port of the embedded broker (default: a free one)" }.InRange(0, ushort.MaxValue);
        var verbose = new Option<bool>("--verbose") { Description = "Show the gateway's log (floor decisions, wakes, recordings)" };
        var command = new Command("demo", "Start the gateway embedded with virtual badges talking; writes what each heard to WAV files")
        {
            output, port, verbose,
        };
        command.SetAction(async (p, _) =>
        {
            var outDirectory = p.GetValue(output)!;
            var dataDirectory = p.GetValue(data) ?? Path.Combine(outDirectory, "data");
            using var loggers = LoggerFactory.Create(b => b
                .SetMinimumLevel(p.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning)
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                }));
            Console.WriteLine("walkie demo: mum, anna and ben on channel 1 (family); the script:");
            try
            {
                return await DemoRun.RunAsync(dataDirectory, outDirectory, p.GetValue(port), loggers, Console.Out);
            }
            catch (WalkieTalkie.Badge.Simulation.VirtualBadgeException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 1;
            }
        });
        return command;
    }
}
