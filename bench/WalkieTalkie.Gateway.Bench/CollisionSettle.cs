using System.Diagnostics;
using System.Threading.Channels;
using WalkieTalkie.Gateway.Sites.Floor;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// The time to settle a collision across sites: every site's arbiter runs on its own loop (as each gateway's engine
/// does), the sites are linked by in-process queues carrying the wire form, and all press at once, so every claim
/// crosses. Settled is when the last site has applied its final decision (the loser stopped, the others playing the
/// winner); over a real link add one one-way delay. Also counts disagreements, which must be zero.
/// </summary>
internal static class CollisionSettle
{
    private const string Room = "!bench:example.org";

    public static async Task PrintAsync(int races)
    {
        Console.WriteLine("| sites | races | settle p50 (ms) | p99 (ms) | max (ms) | disagreements |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var count in new[] { 2, 3 })
        {
            var settle = new List<double>();
            var disagreements = 0;
            for (var race = 0; race < races; race++)
            {
                var (ms, agreed) = await RaceAsync(count);
                settle.Add(ms);
                disagreements += agreed ? 0 : 1;
            }

            settle.Sort();
            Console.WriteLine($"| {count} | {races} | {Percentile(settle, 0.50):F3} | {Percentile(settle, 0.99):F3} | {settle[^1]:F3} | {disagreements} |");
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task<(double Ms, bool Agreed)> RaceAsync(int count)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sites = Enumerable.Range(0, count).Select(i => new Site($"gw-{(char)('a' + i)}", gate.Task)).ToArray();
        foreach (var site in sites)
        {
            site.Peers = sites.Where(s => s != site).ToDictionary(s => s.Id);
            foreach (var peer in site.Peers.Keys)
            {
                site.Arbiter.OnPeerUp(Room, peer);
            }

            site.Arbiter.TakeOutputs(); // the syncs and clock probes of linking are not part of the race
        }

        foreach (var site in sites)
        {
            site.Post(site.Press);
        }

        var started = Stopwatch.GetTimestamp();
        gate.SetResult();
        while (sites.Any(s => s.Busy))
        {
            await Task.Yield();
        }

        foreach (var site in sites)
        {
            site.Stop();
        }

        var settled = sites.Max(s => s.LastDecision);
        var holders = sites.Where(s => s.Arbiter.LocalHolder(Room) is not null).ToList();
        var agreed = holders.Count == 1 && sites.Where(s => s != holders[0]).All(s => s.Arbiter.RemoteHolder(Room) == holders[0].Arbiter.LocalHolder(Room));
        return (Stopwatch.GetElapsedTime(started, Math.Max(settled, started)).TotalMilliseconds, agreed);
    }

    private sealed class Site
    {
        private readonly Channel<Action> _loop = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
        private int _pending;

        public Site(string id, Task gate)
        {
            Id = id;
            Arbiter = new SiteFloorArbiter(id, TimeProvider.System, new SiteFloorOptions());
            _ = Task.Run(async () =>
            {
                await gate;
                await foreach (var action in _loop.Reader.ReadAllAsync())
                {
                    action();
                    Interlocked.Decrement(ref _pending);
                }
            });
        }

        public string Id { get; }

        public SiteFloorArbiter Arbiter { get; }

        public Dictionary<string, Site> Peers { get; set; } = [];

        public long LastDecision { get; private set; }

        public bool Busy => Volatile.Read(ref _pending) > 0;

        public void Post(Action action)
        {
            Interlocked.Increment(ref _pending);
            _loop.Writer.TryWrite(action);
        }

        public void Stop() => _loop.Writer.TryComplete();

        public void Press()
        {
            Arbiter.ClaimLocal(Room, 1, "badge-" + Id, null);
            Pump();
        }

        private void Pump()
        {
            foreach (var output in Arbiter.TakeOutputs())
            {
                switch (output)
                {
                    case SendToPeer send:
                        var wire = SiteFloorWire.Encode(send.Message);
                        var to = Peers[send.PeerGatewayId];
                        to.Post(() =>
                        {
                            SiteFloorWire.TryDecode(wire, out var message, out _);
                            to.Arbiter.OnMessage(Id, message!);
                            to.Pump();
                        });
                        break;
                    case StopLocal or RemoteHolds or RemoteEnded:
                        LastDecision = Stopwatch.GetTimestamp();
                        break;
                }
            }
        }
    }
}
