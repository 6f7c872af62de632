using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Administration;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie badge add|list|rename|remove|rotate-secret|priority</c>.</summary>
public static class BadgeCommands
{
    public static Command Create(Option<string?> data)
    {
        var badge = new Command("badge", "Provision badges");
        var id = new Argument<string>("badge") { Description = "Badge id: 1-32 of a-z, 0-9, '-'" };

        var name = new Option<string?>("--name") { Description = "Display name (the talker's name listeners see)" };
        var priority = new Option<bool>("--priority") { Description = "May preempt other talkers" };
        var add = new Command("add", "Add a badge and print its secret (shown once; only a salted hash is stored)") { id, name, priority };
        add.SetAction(p => CliServices.Run(p, data, services =>
        {
            var secret = services.GetRequiredService<BadgeAdministration>().Add(AdminActor.OfCli(), p.GetValue(id)!, p.GetValue(name), p.GetValue(priority));
            Console.WriteLine($"badge {p.GetValue(id)} added; secret (shown once, write it to the badge): {secret}");
        }));

        var list = new Command("list", "List badges");
        list.SetAction(p => CliServices.Run(p, data, services =>
        {
            Console.WriteLine($"{"badge",-20} {"name",-24} priority");
            foreach (var b in services.GetRequiredService<BadgeAdministration>().List())
            {
                Console.WriteLine($"{b.Id,-20} {b.Name,-24} {(b.Priority ? "on" : "off")}");
            }
        }));

        var remove = new Command("remove", "Remove a badge (its memberships and permits go with it)") { id };
        remove.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<BadgeAdministration>().Remove(AdminActor.OfCli(), p.GetValue(id)!);
            Console.WriteLine($"badge {p.GetValue(id)} removed");
        }));

        var rotate = new Command("rotate-secret", "Give a badge a new secret (printed once); the old one stops working") { id };
        rotate.SetAction(p => CliServices.Run(p, data, services =>
        {
            var secret = services.GetRequiredService<BadgeAdministration>().RotateSecret(AdminActor.OfCli(), p.GetValue(id)!);
            Console.WriteLine($"badge {p.GetValue(id)} new secret (shown once): {secret}");
        }));

        var onOff = new Argument<string>("on|off").AcceptOnlyFromAmong("on", "off");
        var prio = new Command("priority", "Let a badge preempt other talkers, or not") { id, onOff };
        prio.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<BadgeAdministration>().SetPriority(AdminActor.OfCli(), p.GetValue(id)!, p.GetValue(onOff) == "on");
            Console.WriteLine($"badge {p.GetValue(id)} priority {p.GetValue(onOff)}");
        }));

        var newName = new Argument<string>("name") { Description = "Display name (the talker's name listeners see)" };
        var rename = new Command("rename", "Change a badge's display name (its id stays)") { id, newName };
        rename.SetAction(p => CliServices.Run(p, data, services =>
        {
            services.GetRequiredService<BadgeAdministration>().Rename(AdminActor.OfCli(), p.GetValue(id)!, p.GetValue(newName)!);
            Console.WriteLine($"badge {p.GetValue(id)} renamed '{p.GetValue(newName)}'");
        }));

        badge.Add(add);
        badge.Add(rename);
        badge.Add(list);
        badge.Add(remove);
        badge.Add(rotate);
        badge.Add(prio);
        badge.Add(MatrixLinkCommands.BadgeLink(data));
        badge.Add(OutboxCommands.Create(data));
        return badge;
    }
}
