using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// Collisions over the real site link: a badge at each site presses at the same moment (two MQTT publishes sent
/// together), so the two claims cross the link. Settled is the last floor decision either gateway makes for the race
/// (the loser stopped, the winner's burst playing at the loser's site), counted from the moment the presses were sent.
/// Each race also checks that the two sites agree: exactly one press holds the floor, and the other site plays it.
/// </summary>
public static class SitesSettle
{
    /// <param name="GrantP50Ms">From the presses to a badge's <c>floor-granted</c> (each grant of each race; the grant
    /// waits for the gateway's claim across sites and the burst's start).</param>
    public sealed record Result(int Races, int Crossed, double P50Ms, double P99Ms, double MaxMs, int Disagreements, double GrantP50Ms, double GrantP99Ms);

    // Long enough for every decision of a race to be made on a loaded machine; the settle time is read from the decisions' stamps.
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    public static async Task<Result> RunAsync(SitesMouthToEar.Sites sites, int races)
    {
        await using var pressA = await VirtualBadge.ConnectAsync(sites.A.Port, "press-a", sites.A.Secrets["press-a"]);
        await using var pressB = await VirtualBadge.ConnectAsync(sites.B.Port, "press-b", sites.B.Secrets["press-b"]);
        var logA = new DecisionLog();
        var logB = new DecisionLog();
        using var watchA = sites.A.Host.Services.GetRequiredService<GatewayObservers>().Add(logA);
        using var watchB = sites.B.Host.Services.GetRequiredService<GatewayObservers>().Add(logB);
        await Task.Delay(Quiet);
        var settle = new List<double>();
        var grants = new List<double>();
        var (crossed, disagreements) = (0, 0);
        for (var race = 0; race < races; race++)
        {
            logA.Clear();
            logB.Clear();
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(pressA.SendControlAsync(new FloorRequest { Channel = 1 }), pressB.SendControlAsync(new FloorRequest { Channel = 1 }));
            await Task.Delay(Quiet);

            var holdsA = logA.Holds("press-a");
            var holdsB = logB.Holds("press-b");
            crossed += logA.Granted("press-a") is not null && logB.Granted("press-b") is not null ? 1 : 0;
            var agreed = holdsA != holdsB && (holdsA ? logB.Plays("site-a") : logA.Plays("site-b"));
            disagreements += agreed ? 0 : 1;
            settle.Add(Stopwatch.GetElapsedTime(started, Math.Max(started, Math.Max(logA.Last, logB.Last))).TotalMilliseconds);
            foreach (var badge in new[] { pressA, pressB }.Where(b => b.GrantedAt > started))
            {
                grants.Add(Stopwatch.GetElapsedTime(started, badge.GrantedAt).TotalMilliseconds);
            }

            foreach (var (badge, log, id) in new[] { (pressA, logA, "press-a"), (pressB, logB, "press-b") })
            {
                if (log.Holds(id))
                {
                    await badge.SendControlAsync(new FloorRelease { Channel = 1, BurstId = log.Granted(id)!.Value });
                }
            }

            await Task.Delay(Quiet);
        }

        settle.Sort();
        grants.Sort();
        static double At(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return new Result(races, crossed, At(settle, 0.5), At(settle, 0.99), settle[^1], disagreements, At(grants, 0.5), At(grants, 0.99));
    }

    /// <summary>A gateway's floor decisions since the last <see cref="Clear"/>, with when each was made (Stopwatch).</summary>
    private sealed class DecisionLog : IGatewayObserver
    {
        private readonly ConcurrentQueue<(FloorDecisionRecord Decision, long At)> _decisions = new();

        public long Last => _decisions.IsEmpty ? 0 : _decisions.Max(d => d.At);

        public void Clear() => _decisions.Clear();

        /// <summary>The burst the badge was granted, if it was.</summary>
        public uint? Granted(string badge) =>
            _decisions.Where(d => d.Decision.BadgeId == badge && d.Decision.Decision == "granted").Select(d => (uint?)d.Decision.BurstId).FirstOrDefault();

        /// <summary>The badge was granted and its burst has not ended.</summary>
        public bool Holds(string badge) =>
            Granted(badge) is { } burst && !_decisions.Any(d => d.Decision.Decision == "ended" && d.Decision.BurstId == burst);

        /// <summary>A burst of another site's talker plays here and has not ended.</summary>
        public bool Plays(string site)
        {
            var remote = _decisions.Where(d => d.Decision.Decision == "granted" && d.Decision.BadgeId.StartsWith("site:" + site + "/", StringComparison.Ordinal))
                .Select(d => d.Decision.BurstId).ToList();
            return remote.Count == 1 && !_decisions.Any(d => d.Decision.Decision == "ended" && d.Decision.BurstId == remote[0]);
        }

        void IGatewayObserver.OnFloorDecision(FloorDecisionRecord decision) => _decisions.Enqueue((decision, Stopwatch.GetTimestamp()));
    }
}
