using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Gateway.Cli;

/// <summary>
/// <c>walkie permit grant|revoke --device @user:server/DEVICEID &lt;channel&gt;</c>: a Matrix device's permit in a linked
/// channel's room, written by the channel's granter (<see cref="DevicePermits"/>).
/// </summary>
public static class DevicePermitCommand
{
    /// <summary>The <c>--device</c> option.</summary>
    public static Option<string?> DeviceOption() => new("--device")
    {
        Description = "A Matrix device (a parent's phone), @user:server/DEVICEID, instead of a badge: its permit is written to the channel's room",
    };

    /// <summary>The first argument of <c>grant</c> and <c>revoke</c>: the badge, or with <c>--device</c> the channel.</summary>
    public static Argument<string?> FirstArgument() => new("badge") { Arity = ArgumentArity.ZeroOrOne, Description = "The badge (with --device: the channel)" };

    /// <summary>The second argument of <c>grant</c> and <c>revoke</c>: the channel after a badge.</summary>
    public static Argument<int?> SecondArgument() => new("channel") { Arity = ArgumentArity.ZeroOrOne, Description = "The channel number" };

    /// <summary>The badge and channel of the badge form (<c>grant anna 1</c>); a registry error when one is missing.</summary>
    public static (string Badge, int Channel) BadgeAndChannel(string? first, int? second) =>
        (string.IsNullOrEmpty(first), second) switch
        {
            (true, _) => throw new RegistryException("name a badge and a channel (or a Matrix device: --device @user:server/DEVICEID <channel>)"),
            (false, null) => throw new RegistryException($"name the channel of badge {first}"),
            (false, { } channel) => (first!, channel),
        };

    // The device form takes one argument, the channel (grant --device @dad:example.org/PHONE 1).
    private static int DeviceChannel(string? first, int? second) =>
        second is not null ? throw new RegistryException($"name either a badge ({first}) or --device, not both")
        : int.TryParse(first, out var channel) ? channel
        : throw new RegistryException("name the channel: walkie permit grant --device @user:server/DEVICEID <channel>");

    /// <summary>Grants (<paramref name="bits"/> not 0) or revokes the device's permit; exits 1 with the reason when it cannot.</summary>
    public static async Task<int> RunAsync(ParseResult parse, Option<string?> data, string deviceText, string? first, int? second, byte bits,
        DateTimeOffset? until, CancellationToken cancellationToken)
    {
        try
        {
            var channel = DeviceChannel(first, second);
            DevicePermits.ParseDevice(deviceText);
            await using var services = CliServices.Open(parse, data);
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
            var lines = await services.GetRequiredService<DevicePermitAdministration>().SetAsync(AdminActor.OfCli(), channel, deviceText, bits != 0,
                (bits & PermitBits.Send) != 0, until, loggers.CreateLogger("walkie"), cancellationToken);
            foreach (var line in lines)
            {
                Console.WriteLine(line);
            }

            return 0;
        }
        catch (Exception e) when (e is RegistryException or MatrixException or HttpRequestException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }
}
