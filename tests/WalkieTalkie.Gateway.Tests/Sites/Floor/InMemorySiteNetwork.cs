using System.Collections.Concurrent;
using System.Threading.Channels;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Sites.Floor;

namespace WalkieTalkie.Gateway.Tests.Sites.Floor;

/// <summary>
/// Live links between gateways in one process, for engine tests: each link delivers in order after
/// <see cref="Delay"/>, through the wire form, and can be cut (what is in flight is lost, both ends told) and restored.
/// </summary>
internal sealed class InMemorySiteNetwork : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Peers> _gateways = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string From, string To), Link> _links = new();

    /// <summary>The one-way delay of every link.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The link end of a gateway, whose channels map to rooms as given.</summary>
    public ISitePeers Join(string gatewayId, IReadOnlyDictionary<byte, string> rooms) => _gateways[gatewayId] = new Peers(this, gatewayId, rooms);

    /// <summary>Links two gateways for a room (both told the peer is up).</summary>
    public void Connect(string a, string b, string roomId)
    {
        _links[(a, b)] = new Link(this, a, b, roomId);
        _links[(b, a)] = new Link(this, b, a, roomId);
        _gateways[a].Inbox.OnPeerUp(roomId, b);
        _gateways[b].Inbox.OnPeerUp(roomId, a);
    }

    /// <summary>Cuts the link: messages in flight are lost and both ends hear the peer is down.</summary>
    public void Cut(string a, string b)
    {
        if (_links.TryRemove((a, b), out var ab) && _links.TryRemove((b, a), out var ba))
        {
            ab.Close();
            ba.Close();
            _gateways[a].Inbox.OnPeerDown(ab.RoomId, b);
            _gateways[b].Inbox.OnPeerDown(ba.RoomId, a);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var link in _links.Values)
        {
            link.Close();
            await link.Pump;
        }
    }

    private sealed class Peers(InMemorySiteNetwork network, string gatewayId, IReadOnlyDictionary<byte, string> rooms) : ISitePeers
    {
        public ISiteFloorInbox Inbox { get; private set; } = null!;

        public string OwnGatewayId => gatewayId;

        public string? RoomOf(byte channel) => rooms.GetValueOrDefault(channel);

        public byte? ChannelOf(string roomId) => rooms.Where(r => r.Value == roomId).Select(r => (byte?)r.Key).FirstOrDefault();

        public IReadOnlyCollection<string> LinkedPeers(string roomId) =>
            network._links.Values.Where(l => l.From == gatewayId && l.RoomId == roomId).Select(l => l.To).ToList();

        public bool Send(string peerGatewayId, SiteFloorMessage message) =>
            network._links.TryGetValue((gatewayId, peerGatewayId), out var link) && link.Send(SiteFloorWire.Encode(message));

        public void Attach(ISiteFloorInbox inbox) => Inbox = inbox;
    }

    private sealed class Link
    {
        private readonly Channel<(long Due, byte[] Wire)> _queue = Channel.CreateUnbounded<(long, byte[])>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource _closed = new();
        private readonly InMemorySiteNetwork _network;

        public Link(InMemorySiteNetwork network, string from, string to, string roomId)
        {
            _network = network;
            From = from;
            To = to;
            RoomId = roomId;
            Pump = Task.Run(PumpAsync);
        }

        public string From { get; }

        public string To { get; }

        public string RoomId { get; }

        public Task Pump { get; }

        public bool Send(byte[] wire) => _queue.Writer.TryWrite((Environment.TickCount64 + (long)_network.Delay.TotalMilliseconds, wire));

        public void Close()
        {
            _queue.Writer.TryComplete();
            _closed.Cancel();
        }

        private async Task PumpAsync()
        {
            try
            {
                await foreach (var (due, wire) in _queue.Reader.ReadAllAsync(_closed.Token))
                {
                    var wait = due - Environment.TickCount64;
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(wait), _closed.Token);
                    }

                    Assert.True(SiteFloorWire.TryDecode(wire, out var message, out var error), error);
                    _network._gateways[To].Inbox.OnMessage(From, message!);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}

/// <summary>The system clock moved by a fixed skew: a gateway whose clock is off.</summary>
internal sealed class SkewedTimeProvider(TimeSpan skew) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + skew;
}
