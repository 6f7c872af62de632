using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie sos list|cancel</c>: the open emergencies, and an admin's cancel of one.</summary>
public static class SosCommands
{
    public static Command Create(Option<string?> data)
    {
        var sos = new Command("sos", "Emergencies (SOS) that badges opened: they stay open until cancelled");

        var list = new Command("list", "List the open emergencies");
        list.SetAction(p => CliServices.Run(p, data, services =>
        {
            var open = services.GetRequiredService<EmergencyAdministration>().Open();
            if (open.Count == 0)
            {
                Console.WriteLine("no open emergency");
                return;
            }

            var registry = services.GetRequiredService<IRegistryReader>().Load();
            foreach (var e in open)
            {
                Console.WriteLine(Describe(registry, e));
            }
        }));

        var badge = new Argument<string>("badge") { Description = "The badge whose emergency to cancel (walkie sos list)" };
        var cancel = new Command("cancel", "Cancel a badge's open emergency (the badge and its channels are told)") { badge };
        cancel.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<EmergencyAdministration>().Cancel(AdminActor.OfCli(), p.GetValue(badge)!);
            Console.WriteLine($"emergency of badge {p.GetValue(badge)} cancelled");
        }));

        sos.Add(list);
        sos.Add(cancel);
        return sos;
    }

    /// <summary>One line per open emergency: the badge, its name, since when, its channels.</summary>
    public static string Describe(RegistrySnapshot registry, EmergencyRecord emergency) =>
        $"  {emergency.BadgeId,-20} {registry.Badge(emergency.BadgeId)?.Name ?? "",-20} " +
        $"open since {DateTimeOffset.FromUnixTimeMilliseconds(emergency.OpenedAtMs):yyyy-MM-dd HH:mm:ss} UTC, " +
        $"channels {string.Join(",", registry.ChannelsOf(emergency.BadgeId).Order())}";
}
