using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.EndToEnd.Tests.Support;

/// <summary>
/// The bridge's real incoming table behind a switch: while <see cref="Away"/> is set, every call throws a
/// <see cref="StorageUnavailableException"/>, as the gateway's store does when its database cannot be reached.
/// </summary>
public sealed class FlakyIncomingStore(IIncomingEventStore inner) : IIncomingEventStore
{
    private readonly Lock _gate = new();
    private readonly List<string> _refusedAdds = [];

    /// <summary>While true, the database is away.</summary>
    public volatile bool Away;

    private int _refusedCalls;

    /// <summary>Every call refused so far.</summary>
    public int RefusedCalls => Volatile.Read(ref _refusedCalls);

    /// <summary>The event ids whose <see cref="Add"/> was refused, once per attempt.</summary>
    public IReadOnlyList<string> RefusedAdds
    {
        get
        {
            lock (_gate)
            {
                return [.. _refusedAdds];
            }
        }
    }

    public long? Add(string eventId, string roomId, string sender, string? senderDevice, string type, string contentJson, long originServerTs)
    {
        if (Away)
        {
            lock (_gate)
            {
                _refusedAdds.Add(eventId);
            }
            throw Unavailable();
        }
        return inner.Add(eventId, roomId, sender, senderDevice, type, contentJson, originServerTs);
    }

    public IReadOnlyList<(IncomingEvent Event, long NextAttemptMs)> Pending(long upToSeq) => Away ? throw Unavailable() : inner.Pending(upToSeq);

    public long LastSeq() => Away ? throw Unavailable() : inner.LastSeq();

    public void MarkDone(long seq, string outcome)
    {
        ThrowIfAway();
        inner.MarkDone(seq, outcome);
    }

    public void Postpone(long seq, int attempts, DateTimeOffset nextAttempt, string error)
    {
        ThrowIfAway();
        inner.Postpone(seq, attempts, nextAttempt, error);
    }

    public int PruneDone() => Away ? throw Unavailable() : inner.PruneDone();

    public string? OutcomeOf(string eventId) => Away ? throw Unavailable() : inner.OutcomeOf(eventId);

    private void ThrowIfAway()
    {
        if (Away)
        {
            throw Unavailable();
        }
    }

    private StorageUnavailableException Unavailable()
    {
        Interlocked.Increment(ref _refusedCalls);
        return new("the bridge's database could not be reached (simulated)", new TimeoutException("connection timed out"));
    }
}
