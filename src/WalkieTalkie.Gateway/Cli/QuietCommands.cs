using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Quiet;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie quiet add|list|remove|dnd</c>: quiet-hours schedules and do-not-disturb.</summary>
public static class QuietCommands
{
    public static Command Create(Option<string?> data)
    {
        var quiet = new Command("quiet", "Quiet hours and do-not-disturb: badges play nothing (bursts wait in their unplayed queue)");

        var badge = new Option<string?>("--badge") { Description = "Silence this badge on every channel" };
        var channel = new Option<string?>("--channel") { Description = "Silence every badge on this channel (its number)" };
        var days = new Option<string>("--days") { Description = "Days: daily, mon-fri, sat,sun, ...", DefaultValueFactory = _ => "daily" };
        var from = new Option<string>("--from") { Description = "Start, HH:mm in the time zone", Required = true };
        var to = new Option<string>("--to") { Description = "End, HH:mm (before the start: the window runs over midnight)", Required = true };
        var zone = new Option<string>("--tz") { Description = "IANA time zone, e.g. Europe/Berlin", DefaultValueFactory = _ => "UTC" };
        var add = new Command("add", "Add a quiet-hours schedule for a badge or a channel") { badge, channel, days, from, to, zone };
        add.SetAction(p => CliServices.Run(p, data, services =>
        {
            var (scope, target) = Target(p.GetValue(badge), p.GetValue(channel));
            var id = services.GetRequiredService<IQuietStore>().Add(scope, target, Parse(QuietDays.Parse, p.GetValue(days)!),
                Parse(Time, p.GetValue(from)!), Parse(Time, p.GetValue(to)!), p.GetValue(zone)!);
            Console.WriteLine($"quiet hours {id} added for {scope.ToString().ToLowerInvariant()} {target}");
        }));

        var list = new Command("list", "List quiet-hours schedules and badges in do-not-disturb");
        list.SetAction(p => CliServices.Run(p, data, services =>
        {
            var store = services.GetRequiredService<IQuietStore>();
            Console.WriteLine($"{"id",-5} {"for",-24} when");
            foreach (var s in store.List())
            {
                Console.WriteLine($"{s.Id,-5} {s.Scope.ToString().ToLowerInvariant() + " " + s.Target,-24} {s.Describe()}");
            }

            Console.WriteLine("do-not-disturb: " + string.Join(", ", store.DoNotDisturb().Order()));
        }));

        var id = new Argument<long>("id") { Description = "The schedule's id (walkie quiet list)" };
        var remove = new Command("remove", "Remove a quiet-hours schedule") { id };
        remove.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<IQuietStore>().Remove(p.GetValue(id));
            Console.WriteLine($"quiet hours {p.GetValue(id)} removed");
        }));

        var badgeId = new Argument<string>("badge");
        var onOff = new Argument<string>("on|off").AcceptOnlyFromAmong("on", "off");
        var dnd = new Command("dnd", "Turn a badge's do-not-disturb on or off") { badgeId, onOff };
        dnd.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<IQuietStore>().SetDoNotDisturb(p.GetValue(badgeId)!, p.GetValue(onOff) == "on");
            Console.WriteLine($"badge {p.GetValue(badgeId)} do-not-disturb {p.GetValue(onOff)}");
        }));

        quiet.Add(add);
        quiet.Add(list);
        quiet.Add(remove);
        quiet.Add(dnd);
        return quiet;
    }

    private static (QuietScope, string) Target(string? badge, string? channel) => (badge, channel) switch
    {
        ({ } b, null) => (QuietScope.Badge, b),
        (null, { } c) when byte.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) =>
            (QuietScope.Channel, n.ToString(CultureInfo.InvariantCulture)),
        (null, { } c) => throw new RegistryException($"'{c}' is not a channel number (0-255)"),
        _ => throw new RegistryException("give exactly one of --badge and --channel"),
    };

    private static TimeOnly Time(string text) =>
        TimeOnly.ParseExact(text, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture);

    private static T Parse<T>(Func<string, T> parse, string text)
    {
        try
        {
            return parse(text);
        }
        catch (FormatException e)
        {
            throw new RegistryException($"'{text}': {e.Message}");
        }
    }
}
