using System.Collections.Concurrent;

namespace WalkieTalkie.Matrix.Client.Tests.Support;

/// <summary>Records the backoff delays a loop asks for, and waits a short real time so the loop keeps turning.</summary>
internal sealed class RecordedDelays
{
    private readonly ConcurrentQueue<TimeSpan> _asked = new();

    public IReadOnlyList<TimeSpan> Asked => _asked.ToArray();

    public async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        _asked.Enqueue(delay);
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds, 20)), cancellationToken);
    }
}
