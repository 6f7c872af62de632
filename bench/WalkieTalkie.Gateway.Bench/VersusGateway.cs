using System.Diagnostics;
using System.Runtime;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// The <c>versus</c> mode's gateway in a child process of its own, as Mosquitto is: its CPU and working set are then
/// the gateway's alone, where in the bench's process they held the bench's own work during a measured burst (its pipe
/// reads and writes to the clients, through the runtime's socket thread and the pool, and the parsing of the talker's
/// send times). Provisions the badges, writes their secrets (a line "id secret" each) to the file given, says
/// <c>READY port start-up-ms</c>, then obeys one command a line on stdin, read on its main thread (so that waiting for
/// the next costs the gateway nothing): <c>SETTLE</c> (waits until the engine has taken the connections' backlog;
/// <c>SETTLED</c>), <c>COMPILED</c> (<c>COMPILED n</c>: methods the runtime has compiled so far), <c>MARK</c> (clears the
/// engine's own timings and marks the list of compiled methods, if asked for; <c>MARKED</c>), <c>OWN name</c> (saves
/// that list under the name; <c>OWN p50 p99</c>: the engine's own timings since the mark, in ms). It stops when its
/// stdin closes.
/// </summary>
public static class VersusGateway
{
    public const string Mode = "versus-gateway";

    /// <param name="args">sample rate, listeners, secrets file.</param>
    public static async Task<int> RunAsync(string[] args)
    {
        var ids = FanoutVersus.BadgeIds(int.Parse(args[1]));
        await using var gateway = await BenchGateway.StartAsync(ids, int.Parse(args[0]), ids.Count);
        var started = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        await File.WriteAllLinesAsync(args[2], ids.Select(id => $"{id} {gateway.Secrets[id]}"));
        Console.WriteLine($"READY {gateway.Port} {started:F0}");
        JitList? jitList = null;
        while (Console.ReadLine() is { } command)
        {
            var parts = command.Split(' ');
            switch (parts[0])
            {
                case "SETTLE":
                    await SettleAsync(gateway);
                    Console.WriteLine("SETTLED");
                    break;
                case "COMPILED":
                    Console.WriteLine($"COMPILED {JitInfo.GetCompiledMethodCount()}");
                    break;
                case "MARK":
                    gateway.Host.Engine.Timings.Clear();
                    jitList = JitList.Mark();
                    Console.WriteLine("MARKED");
                    break;
                case "OWN":
                    jitList?.Save(parts[1]);
                    var own = gateway.Host.Engine.Timings.Milliseconds().Order().ToList();
                    Console.WriteLine($"OWN {FanoutLatency.Percentile(own, 0.50)} {FanoutLatency.Percentile(own, 0.99)}");
                    break;
            }
        }

        return 0;
    }

    /// <summary>
    /// Waits (60 s at most) until the gateway's engine has taken what the connections handed it (each badge's connect,
    /// config, offers, unplayed list): with 1,000 listeners on a loaded machine that backlog outlasted the fixed wait, and
    /// the talker's floor request, queued behind it, was not granted within its 30 s. The fan-out is measured, not the
    /// connection storm (the ticker's events keep a few in the queue).
    /// </summary>
    private static async Task SettleAsync(BenchGateway gateway)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (gateway.Host.Engine.QueuedEvents > 5 && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }
    }
}
