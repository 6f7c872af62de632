namespace WalkieTalkie.Matrix.Sending;

/// <summary>
/// The outbox's count of the failures of the entry at the head of its queue that could make it stuck: how many, and
/// since when. Kept in memory: a restart starts the count again, which only delays marking an entry stuck.
/// </summary>
internal sealed class FailingEntry
{
    private long _id = -1;
    private int _attempts;
    private DateTimeOffset _first;

    /// <summary>Counts one more failure of <paramref name="id"/> (starting afresh for another entry) and returns the
    /// failures counted and how long since the first.</summary>
    public (int Attempts, TimeSpan Since) Count(long id, DateTimeOffset now)
    {
        if (id != _id)
        {
            _id = id;
            _attempts = 0;
            _first = now;
        }

        _attempts++;
        return (_attempts, now - _first);
    }
}
