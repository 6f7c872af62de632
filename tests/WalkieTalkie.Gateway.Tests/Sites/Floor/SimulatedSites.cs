using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Sites.Floor;

namespace WalkieTalkie.Gateway.Tests.Sites.Floor;

/// <summary>
/// Several arbiters on one simulated network: each site has its own fake clock (skewed from the shared time), each
/// link delivers in order after a delay with jitter, and a link can be cut (what is in flight is lost, both ends are
/// told the peer is down) and restored. Time moves only when the test runs it, so every run is exact.
/// </summary>
internal sealed class SimulatedSites
{
    public const string Room = "!room:example.org";

    private static readonly DateTimeOffset Start = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    private readonly PriorityQueue<Action, (long At, long Seq)> _events = new();
    private readonly Dictionary<(string, string), long> _lastDelivery = new();
    private readonly HashSet<(string, string)> _cut = [];
    private readonly Random _random;
    private long _seq;

    public SimulatedSites(int seed, params (string Id, long SkewMs)[] sites)
    {
        _random = new Random(seed);
        foreach (var (id, skew) in sites)
        {
            Sites[id] = new Site(id, skew, new FakeTimeProvider(Start + TimeSpan.FromMilliseconds(skew)));
        }
    }

    public Dictionary<string, Site> Sites { get; } = new(StringComparer.Ordinal);

    /// <summary>The one-way delay of every link and its jitter (both in ms).</summary>
    public long DelayMs { get; set; } = 5;

    public long JitterMs { get; set; } = 3;

    public long NowMs { get; private set; }

    /// <summary>Links every pair of sites (both ends told the peer is up).</summary>
    public void LinkAll()
    {
        foreach (var a in Sites.Keys)
        {
            foreach (var b in Sites.Keys.Where(b => string.CompareOrdinal(a, b) < 0))
            {
                Restore(a, b);
            }
        }
    }

    public void Cut(string a, string b)
    {
        _cut.Add(Pair(a, b));
        Sites[a].Arbiter.OnPeerDown(Room, b);
        Sites[b].Arbiter.OnPeerDown(Room, a);
        Pump(a);
        Pump(b);
    }

    public void Restore(string a, string b)
    {
        _cut.Remove(Pair(a, b));
        Sites[a].Arbiter.OnPeerUp(Room, b);
        Sites[b].Arbiter.OnPeerUp(Room, a);
        Pump(a);
        Pump(b);
    }

    /// <summary>A badge at the site presses at <paramref name="atMs"/> (shared time).</summary>
    public void PressAt(long atMs, string site, string badge) => At(atMs, () => Sites[site].Press(badge));

    /// <summary>A badge with an open emergency presses with the emergency flag (SOS) at <paramref name="atMs"/>.</summary>
    public void SosAt(long atMs, string site, string badge) => At(atMs, () => Sites[site].Press(badge, emergency: true));

    public void ReleaseAt(long atMs, string site) => At(atMs, () => Sites[site].Release());

    public void At(long atMs, Action action)
    {
        _events.Enqueue(() =>
        {
            action();
            foreach (var id in Sites.Keys)
            {
                Pump(id);
            }
        }, (atMs, _seq++));
    }

    /// <summary>Runs every event up to <paramref name="untilMs"/>, ticking each arbiter every 100 ms.</summary>
    public void RunUntil(long untilMs)
    {
        for (var tick = (NowMs / 100 + 1) * 100; tick <= untilMs; tick += 100)
        {
            At(tick, () =>
            {
                foreach (var site in Sites.Values)
                {
                    site.Arbiter.Tick();
                }
            });
        }

        while (_events.TryPeek(out _, out var key) && key.At <= untilMs)
        {
            MoveTo(key.At);
            _events.Dequeue()();
        }

        MoveTo(untilMs);
    }

    private void MoveTo(long atMs)
    {
        if (atMs <= NowMs)
        {
            return;
        }

        foreach (var site in Sites.Values)
        {
            site.Clock.Advance(TimeSpan.FromMilliseconds(atMs - NowMs));
        }

        NowMs = atMs;
    }

    private void Pump(string from)
    {
        var site = Sites[from];
        foreach (var output in site.Arbiter.TakeOutputs())
        {
            if (output is SendToPeer send)
            {
                Deliver(from, send.PeerGatewayId, send.Message);
            }
            else
            {
                site.Apply(output);
            }
        }
    }

    private void Deliver(string from, string to, SiteFloorMessage message)
    {
        var link = (from, to);
        if (_cut.Contains(Pair(from, to)))
        {
            return;
        }

        // In order per link, as a stream is: never before the previous message on it.
        var at = Math.Max(NowMs + DelayMs + _random.NextInt64(0, JitterMs + 1), _lastDelivery.GetValueOrDefault(link));
        _lastDelivery[link] = at;
        var wire = SiteFloorWire.Encode(message);
        _events.Enqueue(() =>
        {
            if (_cut.Contains(Pair(from, to)))
            {
                return;
            }

            Assert.True(SiteFloorWire.TryDecode(wire, out var read, out var error), error);
            Sites[to].Arbiter.OnMessage(from, read!);
            Pump(to);
        }, (at, _seq++));
    }

    private static (string, string) Pair(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);

    /// <summary>One site: its arbiter, its clock, and the little floor a gateway keeps (one room, one talker).</summary>
    internal sealed class Site(string id, long skewMs, FakeTimeProvider clock)
    {
        private uint _nextBurst = 1;

        public string Id { get; } = id;

        public long SkewMs { get; } = skewMs;

        public FakeTimeProvider Clock { get; } = clock;

        public SiteFloorArbiter Arbiter { get; } = new(id, clock, new SiteFloorOptions { MaxSkewMs = 250, ClockProbeSeconds = 1 });

        /// <summary>This site's burst holding the floor now.</summary>
        public uint? LocalBurst { get; private set; }

        /// <summary>Every burst this site granted, and the ones it stopped for a collision.</summary>
        public List<SiteFloorClaim> Granted { get; } = [];

        public List<uint> Stopped { get; } = [];

        /// <summary>The bursts of <see cref="Stopped"/> that another site's emergency preempted.</summary>
        public List<uint> Preempted { get; } = [];

        public List<string> Denied { get; } = [];

        public List<SiteCollision> Collisions { get; } = [];

        public List<PeerClock> Clocks { get; } = [];

        /// <summary>What this site plays now: its own burst or the remote claim it shows, as "gateway/burst".</summary>
        public string? Playing => LocalBurst is { } burst ? $"{Id}/{burst}" : Arbiter.RemoteHolder(Room) is { } remote ? $"{remote.GatewayId}/{remote.BurstId}" : null;

        // An SOS preempts what holds the floor here unless it is an emergency too (as the engine's floor does).
        public void Press(string badge, bool emergency = false)
        {
            var localSos = LocalBurst is not null && Arbiter.LocalHolder(Room)!.Emergency;
            var remote = Arbiter.RemoteHolder(Room);
            if (emergency ? localSos || remote is { Emergency: true } : LocalBurst is not null || remote is not null)
            {
                Denied.Add(badge);
                return;
            }

            if (LocalBurst is { } ended)
            {
                LocalBurst = null;
                Arbiter.EndLocal(Room, ended);
            }

            var burst = _nextBurst++;
            if (Arbiter.ClaimLocal(Room, burst, badge, null, emergency) is not null)
            {
                Denied.Add(badge);
                return;
            }

            LocalBurst = burst;
            Granted.Add(Arbiter.LocalHolder(Room)!);
        }

        public void Release()
        {
            if (LocalBurst is { } burst)
            {
                LocalBurst = null;
                Arbiter.EndLocal(Room, burst);
            }
        }

        public void Apply(SiteFloorOutput output)
        {
            switch (output)
            {
                case StopLocal stop:
                    Assert.Equal(LocalBurst, stop.BurstId);
                    LocalBurst = null;
                    Stopped.Add(stop.BurstId);
                    if (stop.Preempted)
                    {
                        Preempted.Add(stop.BurstId);
                    }

                    break;
                case SiteCollision collision:
                    Collisions.Add(collision);
                    break;
                case PeerClock peerClock:
                    Clocks.Add(peerClock);
                    break;
            }
        }
    }
}
