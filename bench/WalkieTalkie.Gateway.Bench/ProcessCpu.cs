using System.Runtime.InteropServices;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>One thread name's CPU over a stretch: to the nanosecond (schedstat) and, as a check, in the kernel's 10 ms ticks.</summary>
public sealed record ThreadCpuTime(string Thread, double Milliseconds, double TickMilliseconds);

/// <summary>
/// A process's CPU time over a stretch (<see cref="ProcessCpu.Since"/>): <see cref="Total"/> to the nanosecond,
/// <see cref="TotalFromTicks"/> as the bench read it before (the kernel's 10 ms ticks, as <c>Process.TotalProcessorTime</c>
/// reads them), and by thread name, the largest first, with what threads that ended during the stretch spent last.
/// </summary>
public sealed record CpuSpan(TimeSpan Total, TimeSpan TotalFromTicks, IReadOnlyList<ThreadCpuTime> Threads);

/// <summary>
/// A process's CPU time at one moment, read from Linux, for the bench's modes that measure a server's CPU (the gateway
/// in this process, Mosquitto in its own), so that all of them read it one way:
/// <list type="bullet">
/// <item>The process's total to the nanosecond: its CPU-time clock (<c>clock_getcpuclockid</c>, <c>clock_gettime</c>), the
/// sum of every thread's time on a CPU including threads that have ended.</item>
/// <item>Each live thread's time on a CPU to the nanosecond: the first field of <c>/proc/PID/task/TID/schedstat</c>
/// (the same count the clock sums), and its name from <c>/proc/PID/task/TID/stat</c> (the runtime names its threads:
/// <c>.NET TP Worker</c>, <c>.NET Tiered Com</c>, <c>.NET Timer</c>; the gateway's <c>walkie storage</c>, <c>walkie writer N</c>).</item>
/// <item>As a check, the same in the kernel's ticks (user plus system time from <c>stat</c>, 10 ms each), as the bench
/// read CPU before: a 150-frame burst to one listener is a handful of ticks, 67 us a delivery each.</item>
/// </list>
/// A thread that ends during the stretch is gone from <c>task/</c> but its time stays in the process's total, so over a
/// stretch <em>threads that ended</em> is the total's difference minus the live threads' (a thread that started during
/// it counts from zero; one whose id was reused under another name is taken as new). The readings are not atomic: a
/// thread running while it is read is behind by at most the kernel's last scheduler tick (4 ms at 250 Hz), and the
/// reading thread's own work after the total was read (reading <c>/proc</c>, about a millisecond once its code is
/// compiled) is in its own row and not in the total, so <em>threads that ended</em> can come out that much low (below
/// zero it is shown as zero). Checked with a thread that spun and ended and one that spun and lived: the row of threads
/// that ended was 109.8 ms where the ended thread's own last reading said 111.3 ms.
/// </summary>
public sealed class ProcessCpu
{
    private const double MillisecondsPerTick = 10.0;
    private readonly int _pid;
    private readonly long _totalNanoseconds;
    private readonly long _totalTicks;
    private readonly Dictionary<int, (string Name, long Nanoseconds, long Ticks)> _threads;

    private ProcessCpu(int pid, long totalNanoseconds, long totalTicks, Dictionary<int, (string Name, long Nanoseconds, long Ticks)> threads)
    {
        _pid = pid;
        _totalNanoseconds = totalNanoseconds;
        _totalTicks = totalTicks;
        _threads = threads;
    }

    /// <summary>The process's CPU now; its threads are read first and its total last, so the reading's own cost falls outside a stretch that starts here.</summary>
    public static ProcessCpu Read(int pid)
    {
        var threads = Threads(pid);
        var ticks = Ticks(File.ReadAllText($"/proc/{pid}/stat"));
        return new ProcessCpu(pid, TotalNanoseconds(pid), ticks, threads);
    }

    public static ProcessCpu Self() => Read(Environment.ProcessId);

    /// <summary>The process's CPU since this reading; its total is read first, then its threads.</summary>
    public CpuSpan Since()
    {
        var total = TotalNanoseconds(_pid);
        var ticks = Ticks(File.ReadAllText($"/proc/{_pid}/stat"));
        var byName = new Dictionary<string, (long Nanoseconds, long Ticks)>();
        foreach (var (id, now) in Threads(_pid))
        {
            var before = _threads.TryGetValue(id, out var then) && then.Name == now.Name ? (then.Nanoseconds, then.Ticks) : (0L, 0L);
            var sum = byName.GetValueOrDefault(now.Name);
            byName[now.Name] = (sum.Nanoseconds + now.Nanoseconds - before.Item1, sum.Ticks + now.Ticks - before.Item2);
        }

        var threads = byName.Where(t => t.Value.Nanoseconds > 0 || t.Value.Ticks > 0).OrderByDescending(t => t.Value.Nanoseconds)
            .Select(t => new ThreadCpuTime(t.Key, t.Value.Nanoseconds / 1e6, t.Value.Ticks * MillisecondsPerTick)).ToList();
        var totalMs = (total - _totalNanoseconds) / 1e6;
        var totalTickMs = (ticks - _totalTicks) * MillisecondsPerTick;
        threads.Add(new ThreadCpuTime("(threads that ended)", Math.Max(0, totalMs - threads.Sum(t => t.Milliseconds)),
            Math.Max(0, totalTickMs - threads.Sum(t => t.TickMilliseconds))));
        return new CpuSpan(TimeSpan.FromMilliseconds(totalMs), TimeSpan.FromMilliseconds(totalTickMs), threads);
    }

    private static long TotalNanoseconds(int pid)
    {
        if (clock_getcpuclockid(pid, out var clock) != 0 || clock_gettime(clock, out var now) != 0)
        {
            throw new InvalidOperationException($"no CPU-time clock for process {pid} (errno {Marshal.GetLastPInvokeError()})");
        }

        return now.Seconds * 1_000_000_000 + now.Nanoseconds;
    }

    private static Dictionary<int, (string Name, long Nanoseconds, long Ticks)> Threads(int pid)
    {
        var threads = new Dictionary<int, (string Name, long Nanoseconds, long Ticks)>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            string stat;
            string schedstat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
                schedstat = File.ReadAllText(Path.Combine(task, "schedstat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // the thread ended while we looked: its time is in the process's total
            }

            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            threads[int.Parse(stat[..open].Trim())] = (stat[(open + 1)..close], long.Parse(schedstat.Split(' ')[0]), Ticks(stat));
        }

        return threads;
    }

    /// <summary>
    /// User plus system time in ticks from a <c>stat</c> line ("pid (name) state ppid ..."): the name may hold spaces, so
    /// fields are counted from its closing parenthesis; utime and stime are the 14th and 15th fields, the 12th and 13th
    /// after the state.
    /// </summary>
    private static long Ticks(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_getcpuclockid(int pid, out int clock);

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_gettime(int clock, out Timespec time);
}
