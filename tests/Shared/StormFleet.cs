namespace WalkieTalkie.Tests.Shared;

/// <summary>
/// Many <see cref="StormBadge"/>s against one gateway port: each makes its first attempt at a random moment within
/// <c>spreadMilliseconds</c> (badges are not switched on, or do not notice a lost gateway, in the same millisecond),
/// then keeps reconnecting with the badge's fixed delay.
/// </summary>
public sealed class StormFleet(int port, IReadOnlyList<(string Id, string Secret)> badges, int reconnectDelayMilliseconds = 1000, int spreadMilliseconds = 1000)
    : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];

    public StormBadge[] Badges { get; } = badges.Select(b => new StormBadge(b.Id, b.Secret, port)).ToArray();

    public void Start(int seed = 1)
    {
        var random = new Random(seed);
        foreach (var badge in Badges)
        {
            var first = TimeSpan.FromMilliseconds(random.Next(Math.Max(1, spreadMilliseconds)));
            _running.Add(Task.Run(() => badge.RunAsync(first, reconnectDelayMilliseconds, _stop.Token)));
        }
    }

    public int Connected => Badges.Count(b => b.IsConnected && b.ConnectedAt != 0);

    public int Served => Badges.Count(b => b.ServedAt != 0);

    /// <summary>Waits until every badge is served (true) or <paramref name="timeout"/> passed (false).</summary>
    public async Task<bool> AllServedAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Served < Badges.Length)
        {
            if (DateTime.UtcNow >= until)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>Forgets every badge's last connection: call it while the gateway is down, before it comes back.</summary>
    public void Mark()
    {
        foreach (var badge in Badges)
        {
            badge.Mark();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        _stop.Dispose();
    }
}
