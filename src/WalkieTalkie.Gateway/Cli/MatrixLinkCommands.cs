using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie badge link</c> and <c>walkie channel link</c>: a badge's Matrix account, a channel's room.</summary>
public static class MatrixLinkCommands
{
    /// <summary><c>walkie badge link &lt;badge&gt; --user … --password … [--register]</c>.</summary>
    public static Command BadgeLink(Option<string?> data)
    {
        var badge = new Argument<string>("badge");
        var user = new Option<string>("--user") { Description = "The badge's Matrix account (localpart or @user:server)", Required = true };
        var password = new Option<string>("--password") { Description = "The account's password", Required = true };
        var register = new Option<bool>("--register") { Description = "Create the account if logging in is refused" };
        var command = new Command("link", "Give a badge its Matrix account and device (logs in once, bootstraps cross-signing)")
            { badge, user, password, register };
        command.SetAction(async (p, ct) =>
        {
            await using var services = CliServices.Open(p, data);
            var matrix = services.Matrix();
            if (!matrix.IsConfigured)
            {
                Console.Error.WriteLine("error: set Matrix:Homeserver (appsettings.json or WALKIE_Matrix__Homeserver) first");
                return 1;
            }

            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Information));
            try
            {
                var link = await BadgeLinker.LinkAsync(services.GetRequiredService<BridgeStores>(), matrix, services.Gateway().DataDirectory,
                    p.GetValue(badge)!, p.GetValue(user)!, p.GetValue(password)!, p.GetValue(register), loggers.CreateLogger("walkie"), ct);
                Console.WriteLine($"badge {link.BadgeId} is {link.UserId}, device {link.DeviceId} (cross-signed)");
                return 0;
            }
            catch (Exception e) when (e is MatrixException or HttpRequestException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: badge {p.GetValue(badge)} was not linked: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary><c>walkie channel link &lt;channel&gt; &lt;roomId&gt; --granter … [--granter-password …]</c>.</summary>
    public static Command ChannelLink(Option<string?> data)
    {
        var channel = new Argument<string>("channel") { Description = "The channel's name" };
        var room = new Argument<string>("roomId");
        var granter = new Option<string?>("--granter") { Description = "The account that writes permits into the room (@user:server)" };
        var granterPassword = new Option<string?>("--granter-password")
            { Description = "The granter's password: logs in once and keeps the session (not needed for a linked badge's account)" };
        var register = new Option<bool>("--register") { Description = "Create the granter's account if logging in is refused (with --granter-password)" };
        var walkieUrl = new Option<string?>("--walkie-url")
            { Description = "The web walkie's address as room members reach it (https://<gateway>:8443/walkie/): added to the room as an Element widget" };
        var command = new Command("link",
            "Bridge a channel to a Matrix room (bursts from now on become voice messages); as the granter, join the room, send the channel " +
            "event, set the room's power levels, invite the badges' accounts and, with --walkie-url, add the web walkie as the room's widget. " +
            "Exits 1 while any of that is not done.")
            { channel, room, granter, granterPassword, register, walkieUrl };
        command.SetAction(async (p, ct) =>
        {
            await using var services = CliServices.Open(p, data);
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
            var request = new ChannelLinkRequest(p.GetValue(channel)!, p.GetValue(room)!, p.GetValue(granter) ?? "", p.GetValue(granterPassword),
                p.GetValue(register), p.GetValue(walkieUrl));
            try
            {
                var report = await services.GetRequiredService<ChannelLinking>().LinkAsync(AdminActor.OfCli(), request, loggers.CreateLogger("walkie"), ct);
                foreach (var line in report.Done)
                {
                    Console.WriteLine(line);
                }

                foreach (var line in report.NotDone)
                {
                    Console.WriteLine("not done: " + line);
                }

                if (report.NotDone.Count > 0)
                {
                    Console.Error.WriteLine($"error: channel {report.Link.Channel} is linked to {report.Link.RoomId}, but its room is not set up " +
                                            "(not done: above); run walkie channel link again once that is mended");
                    return 1;
                }

                return 0;
            }
            catch (RegistryException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 1;
            }
        });
        return command;
    }
}
