using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// The one path every refusal goes through, whichever part refused (a transport, the engine): counted per badge (or,
/// before login, per address), logged only <see cref="LimitOptions.RefusalLogLines"/> times per kind and window, the
/// rest reported as a count at the window's end. A badge with <see cref="LimitOptions.RefusalsBeforeBan"/> refusals
/// in a window (floods aside) is banned: <see cref="Banned"/> tells the transports to disconnect it, and
/// <see cref="BannedFor"/> keeps it out for <see cref="LimitOptions.BanSeconds"/>, doubled with each further ban up to
/// <see cref="LimitOptions.MaxBanSeconds"/>. Thread-safe: transports call it from their own threads, the engine from
/// its loop. The window-end sweep runs only while a client is counted: nothing wakes the gateway for it while nobody
/// is refused.
/// </summary>
public sealed class BadgeRefusals : IDisposable
{
    private const int MaxEntries = 10_000;
    private static readonly RefusalKind[] Kinds = Enum.GetValues<RefusalKind>();

    private readonly LimitOptions _limits;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ITimer _sweep;
    private readonly Lock _sweepGate = new();
    private bool _sweeping;
    private DateTimeOffset _lastPrune;

    public BadgeRefusals(IOptions<LimitOptions> limits, TimeProvider time, ILogger<BadgeRefusals> logger)
    {
        _limits = limits.Value;
        _time = time;
        _logger = logger;
        _sweep = time.CreateTimer(_ => Sweep(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A badge was banned: whoever holds its connection should drop it.</summary>
    public event Action<string>? Banned;

    private TimeSpan Window => TimeSpan.FromSeconds(_limits.RefusalWindowSeconds);

    /// <summary>Counts a refusal of badge <paramref name="badgeId"/>; true when it may be logged.</summary>
    public bool Refuse(string badgeId, RefusalKind kind) => Count("Badge " + badgeId, badgeId, kind);

    /// <summary>Counts a refusal of a client not logged in, by its address; true when it may be logged.</summary>
    public bool Refuse(IPAddress? address, RefusalKind kind) => Count("Address " + (address?.ToString() ?? "unknown"), null, kind);

    /// <summary>How much longer the badge is kept out, or null when it is not.</summary>
    public TimeSpan? BannedFor(string badgeId)
    {
        // Asked for every uplink message: the key is put together on the stack, not as a new string each time.
        const string prefix = "Badge ";
        Span<char> key = badgeId.Length <= 64 ? stackalloc char[prefix.Length + badgeId.Length] : new char[prefix.Length + badgeId.Length];
        prefix.CopyTo(key);
        badgeId.CopyTo(key[prefix.Length..]);
        if (!_entries.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out var entry))
        {
            return null;
        }

        lock (entry)
        {
            var left = entry.BannedUntil - _time.GetUtcNow();
            return left > TimeSpan.Zero ? left : null;
        }
    }

    private bool Count(string who, string? badgeId, RefusalKind kind)
    {
        var now = _time.GetUtcNow();
        if (!_entries.TryGetValue(who, out var entry))
        {
            // Past the bound (a client with very many addresses), new clients are refused without being logged.
            if (_entries.Count >= MaxEntries && (now - _lastPrune < TimeSpan.FromSeconds(1) || Prune() >= MaxEntries))
            {
                return false;
            }

            // Under the sweep's lock, so that a sweep finding nobody left cannot stop the timer past this new entry.
            lock (_sweepGate)
            {
                entry = _entries.GetOrAdd(who, _ => new Entry(now));
                if (!_sweeping)
                {
                    _sweeping = true;
                    _sweep.Change(Window, Window);
                }
            }
        }

        bool log;
        TimeSpan? ban = null;
        lock (entry)
        {
            if (now - entry.WindowStart >= Window)
            {
                Report(who, entry);
                entry.Reset(now);
            }

            entry.LastRefusal = now;
            entry.Counted[(int)kind]++;
            log = entry.Counted[(int)kind] <= _limits.RefusalLogLines;
            if (badgeId is not null && CountsTowardsBan(kind) && entry.AddStrike() >= _limits.RefusalsBeforeBan && entry.BannedUntil <= now)
            {
                var seconds = Math.Min(_limits.BanSeconds * Math.Pow(2, entry.Bans), _limits.MaxBanSeconds);
                entry.Bans++;
                entry.BannedUntil = now + TimeSpan.FromSeconds(seconds);
                ban = TimeSpan.FromSeconds(seconds);
                _logger.LogWarning("{Who} disconnected for {Seconds} s (its messages ignored meanwhile): {Count} refusals in {Window} s ({Kinds})",
                    who, seconds, entry.Strikes, _limits.RefusalWindowSeconds, Describe(entry.Counted));
                Report(who, entry);
                entry.Reset(now);
            }
        }

        if (ban is not null)
        {
            Banned?.Invoke(badgeId!);
        }

        return log;
    }

    /// <summary>
    /// Whether a refusal is held against a badge: not a login or a connection (the login throttle and the listener's
    /// caps deal with those), not a flood (dropped by its budget), not late audio from a talker that lost the floor.
    /// </summary>
    public static bool CountsTowardsBan(RefusalKind kind) =>
        kind is not (RefusalKind.Login or RefusalKind.Throttled or RefusalKind.Connection or RefusalKind.Flood or RefusalKind.NotHolder);

    /// <summary>The refusals of a window that were not logged, as one line.</summary>
    private void Report(string who, Entry entry)
    {
        var suppressed = new int[Kinds.Length];
        var total = 0;
        for (var i = 0; i < suppressed.Length; i++)
        {
            suppressed[i] = Math.Max(0, entry.Counted[i] - _limits.RefusalLogLines);
            total += suppressed[i];
        }

        if (total > 0)
        {
            _logger.LogWarning("{Who}: {Count} more refusals not logged in the last {Seconds} s ({Kinds})",
                who, total, Math.Round((_time.GetUtcNow() - entry.WindowStart).TotalSeconds, 1), Describe(suppressed));
        }
    }

    private static string Describe(int[] counts) => string.Join(", ",
        Kinds.Where(k => counts[(int)k] > 0).Select(k => k.ToString().ToLowerInvariant() + " " + counts[(int)k].ToString(CultureInfo.InvariantCulture)));

    /// <summary>Each window's end: the counts of what was not logged, and forgetting clients long quiet.</summary>
    private void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var (who, entry) in _entries)
        {
            lock (entry)
            {
                if (now - entry.WindowStart >= Window)
                {
                    Report(who, entry);
                    entry.Reset(now);
                }
            }
        }

        Prune();
        lock (_sweepGate)
        {
            if (_entries.IsEmpty)
            {
                _sweeping = false;
                _sweep.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    // A client quiet for longer than the longest ban starts afresh (its ban count too). Returns how many are left.
    private int Prune()
    {
        var now = _time.GetUtcNow();
        _lastPrune = now;
        var forget = TimeSpan.FromSeconds(_limits.MaxBanSeconds) + Window;
        foreach (var (who, entry) in _entries)
        {
            lock (entry)
            {
                if (now - entry.LastRefusal > forget && entry.BannedUntil <= now)
                {
                    _entries.TryRemove(who, out _);
                }
            }
        }

        return _entries.Count;
    }

    public void Dispose() => _sweep.Dispose();

    private sealed class Entry(DateTimeOffset now)
    {
        public DateTimeOffset WindowStart { get; private set; } = now;
        public DateTimeOffset LastRefusal { get; set; } = now;
        public int[] Counted { get; } = new int[Kinds.Length];
        public int Strikes { get; private set; }
        public int Bans { get; set; }
        public DateTimeOffset BannedUntil { get; set; } = DateTimeOffset.MinValue;

        public int AddStrike() => ++Strikes;

        public void Reset(DateTimeOffset now)
        {
            WindowStart = now;
            Strikes = 0;
            Array.Clear(Counted);
        }
    }
}
