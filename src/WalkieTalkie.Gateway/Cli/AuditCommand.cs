using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Administration;

namespace WalkieTalkie.Gateway.Cli;

/// <summary><c>walkie audit</c>: the newest administrative changes, from the CLI and the console, newest first.</summary>
public static class AuditCommand
{
    public static Command Create(Option<string?> data)
    {
        var count = new Option<int>("--last") { Description = $"How many entries, 1-{AuditTrail.MaxRead}", DefaultValueFactory = _ => 50 }
            .InRange(1, AuditTrail.MaxRead);
        var audit = new Command("audit", "Show who changed what, when, from the CLI or the console") { count };
        audit.SetAction(p => CliServices.Run(p, data, services =>
        {
            Console.WriteLine($"{"when (UTC)",-20} {"who",-16} {"via",-8} {"action",-20} {"target",-24} detail");
            foreach (var e in services.GetRequiredService<AuditTrail>().Recent(p.GetValue(count)))
            {
                var when = DateTimeOffset.FromUnixTimeMilliseconds(e.AtMs).ToString("yyyy-MM-dd HH:mm:ss");
                Console.WriteLine($"{when,-20} {e.Actor,-16} {e.Via,-8} {e.Action,-20} {e.Target,-24} {e.Detail}");
            }
        }));
        return audit;
    }
}
