using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>One row of the side-by-side table.</summary>
/// <param name="CpuMicrosecondsPerDelivery">The server's CPU over the burst to the nanosecond (<see cref="ProcessCpu"/>), over the frames delivered.</param>
/// <param name="TickCpuMicrosecondsPerDelivery">The same from the kernel's 10 ms ticks, as the bench read it before: a check.</param>
/// <param name="StartMilliseconds">From the gateway's process's start to its listening (its badges provisioned first): its cold
/// start-up, for a row's first measured burst (NaN for the later ones).</param>
/// <param name="Burst">Which of the measured bursts in a row to the same server start (1: the first after the warm-up).</param>
public sealed record VersusResult(string Broker, int Listeners, int Burst, int Frames, double P50Ms, double P99Ms, double MaxMs, double Delivered,
    double CpuMicrosecondsPerDelivery, double TickCpuMicrosecondsPerDelivery, double RssMb, int WarmUps, long MethodsCompiled,
    double StartMilliseconds, IReadOnlyList<ThreadCpuTime> Threads, double OwnP50Ms = double.NaN, double OwnP99Ms = double.NaN);

/// <summary>
/// The gateway and Mosquitto side by side, with the talker and the listeners in child processes (<see cref="VersusClients"/>),
/// so the process measured holds only the server: the gateway in a process of its own (<see cref="VersusGateway"/>), as
/// Mosquitto is. The talker sends a burst at
/// real-time pace after a 25-frame warm-up; through the gateway it asks for the floor and the gateway fans the frames out
/// to the channel's members, through Mosquitto the listeners subscribe to the talker's uplink topic. CPU per delivery is
/// the server's CPU time over the measured burst (from the talk to the last frame heard or 20 s) over the frames delivered,
/// read to the nanosecond for both servers (<see cref="ProcessCpu"/>), with the old reading in 10 ms ticks beside it.
/// </summary>
public static class FanoutVersus
{
    public const string Talker = "talker";
    private const int PerProcess = 500;

    /// <param name="warmUpPace">How many times faster than real time the short warm-up bursts are sent (1: real time).</param>
    /// <param name="warmUpSeconds">The gateway's warm-up goes on at least this long, however soon it compiles nothing.</param>
    /// <param name="measuredBursts">Bursts measured one after another (a second apart) to the same server start, a row each:
    /// from the second on, the gateway's work of every second (polls, checks, flushes) has run through a whole measured burst
    /// and been compiled at full optimisation, as in a gateway that has run for a while; the first is as warm as the warm-up
    /// made it.</param>
    public static async Task<IReadOnlyList<VersusResult>> RunAsync(string broker, int sampleRate, int listeners, int frames, double warmUpPace = 1,
        double warmUpSeconds = 0, int measuredBursts = 1)
    {
        var ids = BadgeIds(listeners);
        var secrets = Path.GetTempFileName();
        Process? gateway = null;
        Process? mosquitto = null;
        string? mosquittoConfig = null;
        var children = new List<Process>();
        try
        {
            int port;
            Process server;
            var started = double.NaN;
            if (broker == "gateway")
            {
                gateway = ClientProcess.StartServer(VersusGateway.Mode, sampleRate.ToString(), listeners.ToString(), secrets);
                var ready = (await ExpectLineAsync(gateway, "READY ")).Split(' ');
                port = int.Parse(ready[1]);
                started = double.Parse(ready[2]);
                server = gateway;
            }
            else
            {
                port = BenchGateway.FreePort();
                mosquittoConfig = Path.GetTempFileName();
                // No log: a line per connection into a pipe nobody reads would block it once the pipe is full.
                await File.WriteAllLinesAsync(mosquittoConfig, [$"listener {port} 127.0.0.1", "allow_anonymous true", "persistence false", "log_dest none"]);
                mosquitto = Process.Start(new ProcessStartInfo("mosquitto", ["-c", mosquittoConfig]))!;
                await WaitForPortAsync(port);
                server = mosquitto;
                await File.WriteAllLinesAsync(secrets, ids.Select(id => $"{id} -"));
            }

            var talker = Start(broker, port, secrets, 0, 1);
            children.Add(talker);
            for (var start = 1; start <= listeners; start += PerProcess)
            {
                children.Add(Start(broker, port, secrets, start, Math.Min(PerProcess, listeners + 1 - start)));
            }

            foreach (var child in children)
            {
                await ExpectLineAsync(child, "READY ");
            }

            var audience = children.Skip(1).ToList();
            await Task.Delay(1000 + listeners); // the gateway sends every badge its config first
            if (gateway is not null)
            {
                await AskAsync(gateway, "SETTLE", "SETTLED");
            }

            var warmUps = await WarmUpAsync(talker, audience, sampleRate, gateway, warmUpPace, warmUpSeconds);
            var results = new List<VersusResult>();
            for (var burst = 1; burst <= measuredBursts; burst++)
            {
                if (burst > 1)
                {
                    await Task.Delay(1000);
                }

                results.Add(await MeasureBurstAsync(broker, gateway, server, talker, audience, sampleRate, listeners, burst, frames, warmUps, started));
                started = double.NaN;
            }

            return results;
        }
        finally
        {
            ClientProcess.StopAll(children);
            if (gateway is not null)
            {
                ClientProcess.StopAll([gateway]);
            }

            if (mosquitto is not null)
            {
                mosquitto.Kill();
                await mosquitto.WaitForExitAsync();
                mosquitto.Dispose();
            }

            File.Delete(secrets);
            if (mosquittoConfig is not null)
            {
                File.Delete(mosquittoConfig);
            }
        }
    }

    /// <summary>The badges of a run: the talker, then the listeners.</summary>
    internal static List<string> BadgeIds(int listeners) =>
        [Talker, .. Enumerable.Range(1, listeners).Select(i => $"listener-{i:D4}")];

    private static async Task<VersusResult> MeasureBurstAsync(string broker, Process? gateway, Process server, Process talker, List<Process> audience,
        int sampleRate, int listeners, int burst, int frames, int warmUps, double started)
    {
        // The gateway's own timings cleared and its list of compiled methods marked (it reads the runtime's whole list so
        // far), and the count of them read, all before the CPU reading: the gateway's answers are not in its CPU.
        long compiledBefore = 0;
        if (gateway is not null)
        {
            await SettleCompilingAsync(gateway);
            await AskAsync(gateway, "MARK", "MARKED");
            compiledBefore = await CompiledAsync(gateway);
        }

        var cpuBefore = ProcessCpu.Read(server.Id);
        var sent = await BurstAsync(talker, audience, sampleRate, frames);
        var cpu = cpuBefore.Since();
        server.Refresh();
        var rssMb = server.WorkingSet64 / (1024.0 * 1024.0);
        var compiled = gateway is null ? 0 : await CompiledAsync(gateway) - compiledBefore;
        var own = gateway is null
            ? [double.NaN, double.NaN]
            : (await AskAsync(gateway, $"OWN {(burst == 1 ? $"{listeners}-listeners" : $"{listeners}-listeners.burst-{burst}")}", "OWN ")).Split(' ')[1..]
                .Select(double.Parse).ToArray();

        var latencies = new List<double>(frames * listeners);
        foreach (var child in audience)
        {
            await child.StandardInput.WriteLineAsync("REPORT");
            while (await child.StandardOutput.ReadLineAsync() is { } line && line != "END")
            {
                var arrivals = line["ARRIVALS ".Length..].Split(',').Select(long.Parse).ToArray();
                for (var i = 0; i < frames; i++)
                {
                    if (arrivals[i] != 0)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(sent[i], arrivals[i]).TotalMilliseconds);
                    }
                }
            }
        }

        latencies.Sort();
        return new VersusResult(broker, listeners, burst, frames, FanoutLatency.Percentile(latencies, 0.50), FanoutLatency.Percentile(latencies, 0.99),
            latencies.Count == 0 ? double.NaN : latencies[^1], (double)latencies.Count / ((long)frames * listeners),
            latencies.Count == 0 ? double.NaN : cpu.Total.TotalMicroseconds / latencies.Count,
            latencies.Count == 0 ? double.NaN : cpu.TotalFromTicks.TotalMicroseconds / latencies.Count, rssMb, warmUps, compiled, started, cpu.Threads,
            own[0], own[1]);
    }

    /// <summary>
    /// Waits (20 s at most) until the gateway's runtime has compiled nothing for two looks in a row, 300 ms apart: what
    /// the warm-up and the last burst made hot is compiled again at full optimisation some time after, which, counted in
    /// the next measured burst, was up to a few hundred methods and most of the process's CPU there. What the gateway
    /// compiles in a burst is still counted and reported.
    /// </summary>
    private static async Task SettleCompilingAsync(Process gateway)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        for (var quiet = 0; quiet < 2 && DateTime.UtcNow < until;)
        {
            var compiled = await CompiledAsync(gateway);
            await Task.Delay(300);
            quiet = await CompiledAsync(gateway) == compiled ? quiet + 1 : 0;
        }
    }

    private static async Task<string> AskAsync(Process gateway, string command, string answer)
    {
        await gateway.StandardInput.WriteLineAsync(command);
        return await ExpectLineAsync(gateway, answer);
    }

    private static async Task<long> CompiledAsync(Process gateway) =>
        long.Parse((await AskAsync(gateway, "COMPILED", "COMPILED ")).Split(' ')[1]);

    /// <summary>
    /// Warm-up: one burst of 25 frames (1 s), which is all Mosquitto needs. The gateway then needs as many
    /// bursts as it takes the runtime to finish compiling its hot paths at full optimisation. A method the gateway calls
    /// once a burst (the floor's grant, a burst's start and end) is compiled again only after about 30 calls, and with
    /// tiered PGO twice (instrumented, then optimised): about 60 bursts. With 12 full bursts the runtime still compiled
    /// about 290 methods during the measured 1-listener burst (its compiler a third of the process's CPU there), which a
    /// gateway that has run for a minute does not. So the warm-up goes on with short bursts (5 frames, 0.2 s) until two in
    /// a row compile nothing (90 s at most); the methods still compiled in the measured burst are reported. With
    /// <paramref name="pace"/> above 1 the short bursts' frames are sent that many times faster than real time (the bench's
    /// gateway allows 1,000 messages a second per badge), so more bursts fit in the same time. With
    /// <paramref name="seconds"/> the short bursts go on at least that long (and the 90 s limit is at least that long):
    /// a gateway that has been talked through for minutes, as a site's has. Neither reaches the steady state of a gateway
    /// that has run for an hour (docs/benchmarks.md, "CPU read to the nanosecond, and the runtime's compiler"): what is
    /// still compiled in a long measured burst is mostly the gateway's work of every few seconds or minutes (the
    /// registry's version poll, presence flush, permit and quiet-hour checks, MQTTnet's keep-alive sweep), which no
    /// number of short bursts calls more often.
    /// </summary>
    private static async Task<int> WarmUpAsync(Process talker, List<Process> audience, int sampleRate, Process? gateway, double pace, double seconds)
    {
        await BurstAsync(talker, audience, sampleRate, 25);
        if (gateway is null)
        {
            return 1;
        }

        var least = DateTime.UtcNow.AddSeconds(seconds);
        var until = DateTime.UtcNow.AddSeconds(Math.Max(90, seconds));
        var quiet = 0;
        for (var burst = 2; ; burst++)
        {
            var compiled = await CompiledAsync(gateway);
            await BurstAsync(talker, audience, sampleRate, 5, pace);
            await Task.Delay(200); // the runtime compiles hot methods after a short quiet time
            quiet = await CompiledAsync(gateway) == compiled ? quiet + 1 : 0;
            if ((quiet >= 2 && DateTime.UtcNow >= least) || DateTime.UtcNow > until)
            {
                return burst;
            }
        }
    }

    /// <summary>
    /// One burst: the listeners told how many frames to stamp, the talker talks, then each listeners' process waits on
    /// its own (20 s at most) until all of its badges heard them and says so (asking them for their count every 50 ms, as
    /// the bench did when the gateway ran in its process, was CPU counted as the gateway's).
    /// </summary>
    private static async Task<long[]> BurstAsync(Process talker, List<Process> audience, int sampleRate, int frames, double pace = 1)
    {
        foreach (var child in audience)
        {
            await child.StandardInput.WriteLineAsync($"EXPECT {frames}");
            await ExpectLineAsync(child, "OK");
        }

        await talker.StandardInput.WriteLineAsync(FormattableString.Invariant($"TALK {frames} {sampleRate} {pace}"));
        var sent = (await ExpectLineAsync(talker, "SENT "))["SENT ".Length..].Split(',').Select(long.Parse).ToArray();
        foreach (var child in audience)
        {
            await child.StandardInput.WriteLineAsync("WAIT 20000");
        }

        foreach (var child in audience)
        {
            await ExpectLineAsync(child, "HEARD ");
        }

        return sent;
    }

    internal static Process Start(string broker, int port, string secrets, int start, int count) =>
        ClientProcess.Start("versus-clients", broker, port.ToString(), secrets, start.ToString(), count.ToString());

    internal static async Task<string> ExpectLineAsync(Process child, string prefix) =>
        await ClientProcess.ReadLineStartingAsync(child, prefix)
        ?? throw new InvalidOperationException($"a client process ended before it said {prefix.Trim()}");

    private static async Task WaitForPortAsync(int port)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"mosquitto did not listen on port {port}");
    }

}
