using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// Failed logins, per claimed badge id and per address: past <see cref="LimitOptions.LoginFailuresPerBadge"/> (or
/// <see cref="LimitOptions.LoginFailuresPerAddress"/>) failures, logins of that id (or from that address) are refused
/// without being checked for a back-off that starts at <see cref="LimitOptions.LoginBackoffSeconds"/> and doubles
/// with each further failure, up to <see cref="LimitOptions.MaxLoginBackoffSeconds"/>. A success forgets the id's
/// failures (not the address's: one good badge must not wash an address clean). Thread-safe.
/// </summary>
public sealed class LoginThrottle(IOptions<LimitOptions> limits, TimeProvider time)
{
    private const int MaxEntries = 10_000;

    private readonly LimitOptions _limits = limits.Value;
    private readonly ConcurrentDictionary<string, Failures> _badges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPAddress, Failures> _addresses = new();

    /// <summary>How long logins of this id or from this address must wait, or null when they may be checked now.</summary>
    public TimeSpan? RetryAfter(string? badgeId, IPAddress? address)
    {
        var now = time.GetUtcNow();
        var wait = TimeSpan.Zero;
        if (badgeId is not null && _badges.TryGetValue(badgeId, out var byId))
        {
            lock (byId)
            {
                wait = byId.Remaining(now);
            }
        }

        if (address is not null && _addresses.TryGetValue(Normal(address), out var byAddress))
        {
            lock (byAddress)
            {
                var remaining = byAddress.Remaining(now);
                wait = remaining > wait ? remaining : wait;
            }
        }

        return wait > TimeSpan.Zero ? wait : null;
    }

    public void Failed(string? badgeId, IPAddress? address)
    {
        var now = time.GetUtcNow();
        if (badgeId is not null)
        {
            Add(_badges, badgeId, _limits.LoginFailuresPerBadge, now);
        }

        if (address is not null)
        {
            Add(_addresses, Normal(address), _limits.LoginFailuresPerAddress, now);
        }
    }

    public void Succeeded(string badgeId) => _badges.TryRemove(badgeId, out _);

    private void Add<TKey>(ConcurrentDictionary<TKey, Failures> table, TKey key, int free, DateTimeOffset now) where TKey : notnull
    {
        if (table.Count >= MaxEntries && !table.ContainsKey(key))
        {
            Forget(table, now);
        }

        var failures = table.GetOrAdd(key, _ => new Failures());
        lock (failures)
        {
            // Failures older than twice the longest back-off are forgotten.
            if (now - failures.Last > 2 * MaxBackoff)
            {
                failures.Count = 0;
            }

            failures.Count++;
            failures.Last = now;
            if (failures.Count >= free)
            {
                var seconds = Math.Min(_limits.LoginBackoffSeconds * Math.Pow(2, Math.Min(failures.Count - free, 30)), _limits.MaxLoginBackoffSeconds);
                failures.BlockedUntil = now + TimeSpan.FromSeconds(seconds);
            }
        }
    }

    private TimeSpan MaxBackoff => TimeSpan.FromSeconds(_limits.MaxLoginBackoffSeconds);

    private void Forget<TKey>(ConcurrentDictionary<TKey, Failures> table, DateTimeOffset now) where TKey : notnull
    {
        foreach (var (key, failures) in table)
        {
            lock (failures)
            {
                if (now - failures.Last > 2 * MaxBackoff || failures.BlockedUntil <= now && failures.Count < 2)
                {
                    table.TryRemove(key, out _);
                }
            }
        }
    }

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private sealed class Failures
    {
        public int Count { get; set; }
        public DateTimeOffset Last { get; set; } = DateTimeOffset.MinValue;
        public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;

        public TimeSpan Remaining(DateTimeOffset now) => BlockedUntil > now ? BlockedUntil - now : TimeSpan.Zero;
    }
}
