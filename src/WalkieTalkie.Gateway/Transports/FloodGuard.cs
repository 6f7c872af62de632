using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// Per-badge flood protection: two token buckets per badge, one for audio and one for control and state messages;
/// what exceeds a bucket is dropped and reported through <see cref="BadgeRefusals"/> (a few lines per window, then a
/// count). Thread-safe (transports call it from their own threads).
/// </summary>
public sealed class FloodGuard(FloodLimits limits, TimeProvider time, BadgeRefusals refusals, ILogger<FloodGuard> logger)
{
    private readonly ConcurrentDictionary<string, Budgets> _budgets = new(StringComparer.Ordinal);

    public bool Allow(string badgeId, TopicKind kind)
    {
        var now = time.GetUtcNow();
        // Asked for every uplink message: the factory captures nothing, so a badge already known costs no allocation.
        var budgets = _budgets.GetOrAdd(badgeId, static (_, state) => new Budgets(
            new TokenBucket(state.Limits.AudioPerSecond, state.Limits.AudioBurst, state.Now),
            new TokenBucket(state.Limits.ControlPerSecond, state.Limits.ControlBurst, state.Now)), (Limits: limits, Now: now));
        var audio = kind == TopicKind.UpAudio;
        var bucket = audio ? budgets.Audio : budgets.Control;
        bool taken;
        lock (bucket)
        {
            taken = bucket.TryTake(now);
        }

        if (!taken && refusals.Refuse(badgeId, RefusalKind.Flood))
        {
            logger.LogWarning("Flood from badge {Badge}: {Kind} message dropped (budget {Rate}/s, burst {Burst})", badgeId, audio ? "an audio" : "a control",
                audio ? limits.AudioPerSecond : limits.ControlPerSecond, audio ? limits.AudioBurst : limits.ControlBurst);
        }

        return taken;
    }

    private sealed record Budgets(TokenBucket Audio, TokenBucket Control);
}
