using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie zone add|list|remove</c>: named zones of Wi-Fi access points (used only where Gateway:Zones is on).</summary>
public static class ZoneCommands
{
    public static Command Create(Option<string?> data)
    {
        var zone = new Command("zone", "Zones: named sets of Wi-Fi access points that show where a badge is (Gateway:Zones must be on)");
        var name = new Argument<string>("zone") { Description = "The zone's name, e.g. playground" };

        var aps = new Option<string[]>("--ap") { Description = "An access point's BSSID, aa:bb:cc:dd:ee:ff (repeat for more)", Required = true, AllowMultipleArgumentsPerToken = true };
        var add = new Command("add", "Add access points to a zone (creating it)") { name, aps };
        add.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<IZoneStore>().Add(p.GetValue(name)!, p.GetValue(aps) ?? []);
            Console.WriteLine($"zone {p.GetValue(name)}: {string.Join(", ", p.GetValue(aps)!)} added");
            if (!services.Gateway().Zones)
            {
                Console.WriteLine("note: zones are off (Gateway:Zones=false); badges' locations are not kept until it is on");
            }
        }));

        var list = new Command("list", "List zones and their access points");
        list.SetAction(p => CliServices.Run(p, data, services =>
        {
            foreach (var group in services.GetRequiredService<IZoneStore>().List().GroupBy(z => z.Zone))
            {
                Console.WriteLine($"{group.Key,-20} {string.Join(" ", group.Select(z => z.Bssid))}");
            }
        }));

        var remove = new Command("remove", "Remove a zone") { name };
        remove.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<IZoneStore>().Remove(p.GetValue(name)!);
            Console.WriteLine($"zone {p.GetValue(name)} removed");
        }));

        zone.Add(add);
        zone.Add(list);
        zone.Add(remove);
        return zone;
    }
}
