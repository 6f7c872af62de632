using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// The traffic <c>scripts/wire-rate</c> captures: an embedded gateway (plain MQTT or TLS), one virtual badge talking
/// speech for a while at a rate and one listening, on loopback. It prints the gateway's port, then the wall-clock
/// moments the talking began and ended (Unix seconds), so the capture can be cut to the burst.
/// </summary>
public static class WireBurst
{
    public static async Task RunAsync(int rate, double seconds, bool tls, int port, int blocksPerFrame)
    {
        var folder = Directory.CreateTempSubdirectory("wt-wire-").FullName;
        try
        {
            var speech = MouthToEar.MakeSpeech(folder, seconds);
            await using var gateway = await BenchGateway.StartAsync(["talk", "ear"], rate, 2, tls: tls, port: port, blocksPerFrame: blocksPerFrame);
            Console.WriteLine($"port {gateway.Port}");
            await using var fleet = new VirtualBadgeFleet();
            VirtualBadgeSettings Badge(string id, string? mic) => new()
            {
                Id = id, Port = gateway.Port, Password = gateway.Secrets[id], TrustAnchor = gateway.TrustAnchor, MicWav = mic,
                Channels = [new VirtualChannel(1, rate)],
            };
            var talker = fleet.Add(Badge("talk", speech));
            fleet.Add(Badge("ear", null));
            fleet.Start();
            var (from, to) = await OneBurst.TalkAsync(fleet, talker, seconds);
            await fleet.WaitUntilAsync(f => f.Badges[1].Mode == BadgeMode.Idle && f.Badges[1].Bursts.Count > 0, TimeSpan.FromSeconds(15));
            var summary = await fleet.StopAsync();
            Console.WriteLine($"talk {from.ToUnixTimeMilliseconds() / 1000.0:F3} {to.ToUnixTimeMilliseconds() / 1000.0:F3}");
            Console.WriteLine($"frames sent {summary["talk"].FramesSent} received {summary["ear"].Bursts.Sum(b => b.FramesReceived)}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
