using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Sites.Link;
using WalkieTalkie.Tests.Shared;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// Mouth to ear across two sites: the test homeserver, a room two granters share, and two embedded gateways (site-a,
/// site-b) linked over the real site link on loopback (WebSocket, OpenID). A virtual badge talks one long burst of speech
/// at site A; one virtual badge listens at site A and one at site B, in the same fleet, so both are measured from the
/// same microphone by the same clock. The difference is what the link adds.
/// </summary>
public static class SitesMouthToEar
{
    public sealed record Run(MouthToEar.Result Here, MouthToEar.Result There);

    /// <summary>The homeserver, room and linked gateways, started once for every run.</summary>
    public sealed class Sites : IAsyncDisposable
    {
        private Sites(TestHomeserver.TestHomeserver homeserver, BenchGateway a, BenchGateway b)
        {
            Homeserver = homeserver;
            A = a;
            B = b;
        }

        public TestHomeserver.TestHomeserver Homeserver { get; }

        public BenchGateway A { get; }

        public BenchGateway B { get; }

        public static async Task<Sites> StartAsync(int rate, string[] badgesA, string[] badgesB)
        {
            var homeserver = await TestHomeserver.TestHomeserver.StartAsync();
            var granterA = homeserver.RegisterUser("granter-a", "granter-a-password");
            var granterB = homeserver.RegisterUser("granter-b", "granter-b-password");
            var roomId = await TwoGranterRoom.CreateAsync(homeserver, granterA, granterB);
            var a = await BenchGateway.StartAsync(badgesA, rate, badgesA.Length, site: new BenchSiteSetup("site-a", homeserver, granterA, roomId));
            var b = await BenchGateway.StartAsync(badgesB, rate, badgesB.Length, site: new BenchSiteSetup("site-b", homeserver, granterB, roomId));
            var sites = new Sites(homeserver, a, b);
            var until = DateTime.UtcNow.AddSeconds(30);
            while (!(Links(a).IsLinked("site-b") && Links(b).IsLinked("site-a")))
            {
                if (DateTime.UtcNow > until)
                {
                    await sites.DisposeAsync();
                    throw new InvalidOperationException("the two sites did not link within 30 s");
                }

                await Task.Delay(50);
            }

            return sites;
        }

        private static SiteLinks Links(BenchGateway site) => site.Host.Services.GetRequiredService<SiteLinks>();

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await Homeserver.DisposeAsync();
        }
    }

    /// <summary>One burst of <paramref name="seconds"/>: the latency of the listener at the talker's site and of the one at the other.</summary>
    public static async Task<Run> RunAsync(Sites sites, int rate, double seconds, string speechWav, int trimWindowMilliseconds)
    {
        await using var fleet = new VirtualBadgeFleet();
        using var relay = new RelayedBurstIds(fleet, sites.A.Host.Services.GetRequiredService<GatewayObservers>(),
            sites.B.Host.Services.GetRequiredService<GatewayObservers>());
        var heard = await MouthToEar.TalkAndListenAsync(fleet, sites.A, [("ear-a", sites.A), ("ear-b", sites.B)], rate, seconds, speechWav,
            trimWindowMilliseconds);
        return new Run(heard[0], heard[1]);
    }

    /// <summary>
    /// Tells the fleet which burst site B plays for the burst site A relays (B gives it an id of its own), as B starts it:
    /// B's observer runs before B tells its badges, so the fleet knows before the first block plays.
    /// </summary>
    private sealed class RelayedBurstIds : IDisposable
    {
        private readonly IDisposable _a;
        private readonly IDisposable _b;

        public RelayedBurstIds(VirtualBadgeFleet fleet, GatewayObservers a, GatewayObservers b)
        {
            var talking = new Talking();
            _a = a.Add(talking);
            _b = b.Add(new Relaying(fleet, talking));
        }

        public void Dispose()
        {
            _a.Dispose();
            _b.Dispose();
        }

        private sealed class Talking : IGatewayObserver
        {
            public volatile object? Burst;

            void IGatewayObserver.OnBurstStarted(BurstInfo burst)
            {
                if (burst.Talker.IsBadge)
                {
                    Burst = burst.BurstId;
                }
            }
        }

        private sealed class Relaying(VirtualBadgeFleet fleet, Talking talking) : IGatewayObserver
        {
            void IGatewayObserver.OnBurstStarted(BurstInfo burst)
            {
                if (burst.Talker.IsRemote && talking.Burst is uint original)
                {
                    fleet.Relayed(burst.BurstId, original);
                }
            }
        }
    }
}
