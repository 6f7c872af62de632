namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// This process's CPU time by thread, read from Linux's <c>/proc/self/task/*/stat</c> (user plus system, in the kernel's
/// 100 Hz ticks) and summed by thread name (the runtime names its threads: <c>.NET TP Worker</c>, <c>.NET Tiered Com</c>,
/// <c>.NET Timer</c>, the gateway's <c>walkie storage</c>), so a measured stretch says which thread spent what. A thread
/// that ended during the stretch is missing from it.
/// </summary>
public sealed class ThreadCpu
{
    private const double MillisecondsPerTick = 10.0;
    private readonly Dictionary<int, (string Name, long Ticks)> _start;

    private ThreadCpu(Dictionary<int, (string Name, long Ticks)> start) => _start = start;

    public static ThreadCpu Start() => new(Read());

    /// <summary>
    /// CPU milliseconds by thread name since <see cref="Start"/>, the largest first, and what the process spent beyond
    /// them (<paramref name="processCpu"/> over the same stretch): threads that ended meanwhile, such as thread-pool
    /// workers retired when idle.
    /// </summary>
    public IReadOnlyList<(string Thread, double Milliseconds)> Elapsed(TimeSpan processCpu)
    {
        var byName = new Dictionary<string, long>();
        foreach (var (id, now) in Read())
        {
            var before = _start.TryGetValue(id, out var then) && then.Name == now.Name ? then.Ticks : 0;
            byName[now.Name] = byName.GetValueOrDefault(now.Name) + now.Ticks - before;
        }

        var threads = byName.Where(t => t.Value > 0).OrderByDescending(t => t.Value).Select(t => (t.Key, t.Value * MillisecondsPerTick)).ToList();
        threads.Add(("(threads that ended)", Math.Max(0, processCpu.TotalMilliseconds - threads.Sum(t => t.Item2))));
        return threads;
    }

    private static Dictionary<int, (string Name, long Ticks)> Read()
    {
        var threads = new Dictionary<int, (string, long)>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // the thread ended while we looked
            }

            // "tid (name) state ppid ...": the name may hold spaces, so fields are counted from its closing parenthesis;
            // utime and stime are the 14th and 15th fields, the 12th and 13th after the state.
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            threads[int.Parse(stat[..open].Trim())] = (stat[(open + 1)..close], long.Parse(fields[11]) + long.Parse(fields[12]));
        }

        return threads;
    }
}
