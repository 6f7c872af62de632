using System.Diagnostics;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// The gateway's fixed cost: its process's CPU per second with badges connected (in a child process, as in
/// <see cref="FanoutVersus"/>) and no traffic at all, after a settling time in which start-up work and the runtime's
/// compilation of what start-up ran are done. What is left is what the gateway does while nobody talks (its ticker,
/// its hosted services' polling, timers, the broker's keep-alive checks), by thread (<see cref="ProcessCpu"/>: to the
/// nanosecond, with the kernel's 10 ms ticks beside it as a check).
/// </summary>
public static class QuietCpu
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    public static async Task PrintAsync(int connected, double seconds)
    {
        var ids = FanoutVersus.BadgeIds(Math.Max(connected, 1) - 1); // the talker is the first badge connected
        var secrets = Path.GetTempFileName();
        Process? clients = null;
        await using var gateway = await BenchGateway.StartAsync(ids, 8000, ids.Count);
        try
        {
            await File.WriteAllLinesAsync(secrets, ids.Select(id => $"{id} {gateway.Secrets[id]}"));
            if (connected > 0)
            {
                clients = FanoutVersus.Start("gateway", gateway.Port, secrets, 0, connected);
                await FanoutVersus.ExpectLineAsync(clients, "READY ");
            }

            await Task.Delay(Settle);
            var cpuBefore = ProcessCpu.Self();
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var cpu = cpuBefore.Since();
            var elapsed = clock.Elapsed.TotalSeconds;

            Console.WriteLine();
            Console.WriteLine($"{connected} badges connected, no traffic, {elapsed:F1} s measured after {Settle.TotalSeconds:F0} s settling, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end:");
            Console.WriteLine();
            Console.WriteLine("| thread | CPU (ms) | CPU per second (ms) | from ticks (ms) |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var thread in cpu.Threads)
            {
                Console.WriteLine($"| {thread.Thread} | {thread.Milliseconds:F1} | {thread.Milliseconds / elapsed:F2} | {thread.TickMilliseconds:F0} |");
            }

            Console.WriteLine($"| **process** | {cpu.Total.TotalMilliseconds:F1} | {cpu.Total.TotalMilliseconds / elapsed:F2} | {cpu.TotalFromTicks.TotalMilliseconds:F0} |");
        }
        finally
        {
            if (clients is not null)
            {
                ClientProcess.StopAll([clients]);
            }

            File.Delete(secrets);
        }
    }
}
