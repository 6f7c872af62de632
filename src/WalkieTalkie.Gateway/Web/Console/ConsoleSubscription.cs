using System.Threading.Channels;

namespace WalkieTalkie.Gateway.Web.Console;

/// <summary>
/// One browser watching the overview: the messages waiting for it (a few; a browser that falls behind gets one fresh
/// snapshot instead of the backlog, so the gateway never waits for it and never queues without bound).
/// </summary>
public sealed class ConsoleSubscription : IDisposable
{
    private const int Waiting = 8;

    private readonly Channel<ConsoleOverview> _messages = Channel.CreateBounded<ConsoleOverview>(
        new BoundedChannelOptions(Waiting) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Action<ConsoleSubscription> _unsubscribe;
    private int _fellBehind;

    internal ConsoleSubscription(Func<IReadOnlySet<byte>?> access, Action<ConsoleSubscription> unsubscribe)
    {
        Access = access;
        Visible = access();
        _unsubscribe = unsubscribe;
    }

    /// <summary>Works out which channels the user sees (again after the registry changed).</summary>
    internal Func<IReadOnlySet<byte>?> Access { get; }

    /// <summary>The channels the user sees now (null: every channel).</summary>
    public IReadOnlySet<byte>? Visible { get; internal set; }

    public ChannelReader<ConsoleOverview> Messages => _messages.Reader;

    /// <summary>True once if a message was dropped since the last call: the reader sends a snapshot instead.</summary>
    public bool TakeFellBehind() => Interlocked.Exchange(ref _fellBehind, 0) == 1;

    internal void Offer(ConsoleOverview message)
    {
        if (!_messages.Writer.TryWrite(message))
        {
            Volatile.Write(ref _fellBehind, 1);
        }
    }

    public void Dispose()
    {
        _unsubscribe(this);
        _messages.Writer.TryComplete();
    }
}
