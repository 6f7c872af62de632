using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Demo;

/// <summary>
/// <c>walkie demo</c>: a gateway with everything embedded and a family of virtual badges holding a scripted
/// conversation on one channel, each writing what it heard to a WAV file. Nothing else is needed.
/// </summary>
public static class DemoRun
{
    public static readonly string[] Family = ["mum", "anna", "ben"];

    public static readonly DemoLine[] Conversation =
    [
        new("mum", "Anna, Ben, dinner is ready. Please come home."),
        new("anna", "Coming, mum. I am at the playground."),
        new("ben", "Five more minutes, please."),
        new("mum", "No, Ben. Now, please."),
    ];

    /// <summary>Seconds between one talker's release and the next one's press (the floor is free by then).</summary>
    private const double Gap = 1.2;

    public static async Task<int> RunAsync(string dataDirectory, string outputDirectory, int port, ILoggerFactory loggers, TextWriter output)
    {
        Directory.CreateDirectory(dataDirectory);
        Directory.CreateDirectory(outputDirectory);
        var options = new GatewayOptions { DataDirectory = dataDirectory };
        Dictionary<string, string> secrets;
        using (var storage = StorageServices.Open(OptionsSettings.From("Gateway", options)))
        {
            secrets = Provision(storage);
        }

        var voices = DemoVoices.Make(Conversation, Family, outputDirectory);
        var holds = Family.ToDictionary(b => b, _ => new List<(double, double)>());
        var next = new Dictionary<string, int>();
        var t = 1.5;
        foreach (var line in Conversation)
        {
            var index = next.GetValueOrDefault(line.BadgeId);
            next[line.BadgeId] = index + 1;
            var length = voices[line.BadgeId].Seconds[index] + 0.5; // the line and the pause after it in the mic WAV
            holds[line.BadgeId].Add((t, t + length));
            output.WriteLine($"  {t,5:F1} s  {line.BadgeId,-5} \"{line.Text}\"");
            t += length + Gap;
        }

        port = port > 0 ? port : FreePort();
        // TLS as in a real site: the badges trust the site certificate and nothing else.
        var mqtt = new MqttOptions { BindAddress = "127.0.0.1", Port = 0, TlsPort = port };
        await using var gateway = await GatewayHost.StartAsync(options, mqtt, new FloorOptions(), loggers);
        output.WriteLine($"gateway: embedded broker on 127.0.0.1:{port} (TLS, site certificate {SiteCertificate.Fingerprint(gateway.Certificate!)[..23]}...), " +
            $"data in {Path.GetFullPath(dataDirectory)}");

        await using var fleet = new VirtualBadgeFleet();
        foreach (var badge in Family)
        {
            fleet.Add(new VirtualBadgeSettings
            {
                Id = badge,
                Port = port,
                TrustAnchor = gateway.Certificate,
                ServerName = "localhost",
                Password = secrets[badge],
                MicWav = voices[badge].Path,
                OutputWav = Path.Combine(outputDirectory, $"{badge}-heard.wav"),
                Ptt = new PttScript(holds[badge]),
            });
        }

        var summary = await fleet.RunAsync(TimeSpan.FromSeconds(t + 2));
        output.WriteLine();
        output.WriteLine("what each badge did:");
        foreach (var badge in summary.Badges)
        {
            var heard = badge.Bursts.Where(b => b.FramesReceived > 0).ToList();
            var latency = heard.Where(b => b.MeanLatencyMs is not null).Select(b => b.MeanLatencyMs!.Value).DefaultIfEmpty(double.NaN).Average();
            output.WriteLine($"  {badge.BadgeId,-5} talked {badge.BurstsTalked} bursts ({badge.FramesSent} frames); heard {heard.Count} bursts " +
                $"({badge.FramesReceived} frames, {badge.FramesLost} lost), mouth-to-ear mean {latency:F0} ms -> {badge.OutputWav}");
        }

        output.WriteLine();
        output.WriteLine("recordings kept by the gateway:");
        foreach (var recording in gateway.Services.GetRequiredService<IRecordingIndex>().Recent(20).OrderBy(r => r.BurstId))
        {
            output.WriteLine($"  burst {recording.BurstId} by {recording.BadgeId}: {recording.DurationMs} ms, {recording.FramesReceived} frames, " +
                $"{(recording.Complete ? "complete" : "incomplete")} -> {recording.Path}");
        }

        return summary.Badges.All(b => b.BurstsTalked > 0) ? 0 : 1;
    }

    /// <summary>The family: mum (priority) and two kids on channel 1, all with accepted permits. Fresh secrets each run.</summary>
    private static Dictionary<string, string> Provision(IServiceProvider storage)
    {
        var badges = storage.GetRequiredService<IBadgeStore>();
        var channels = storage.GetRequiredService<IChannelStore>();
        var permits = storage.GetRequiredService<IPermitStore>();
        var secrets = new Dictionary<string, string>();
        var existing = badges.List().Select(b => b.Id).ToHashSet();
        foreach (var id in Family)
        {
            secrets[id] = existing.Contains(id) ? badges.RotateSecret(id) : badges.Add(id, char.ToUpperInvariant(id[0]) + id[1..], priority: id == "mum");
        }

        if (channels.List().All(c => c.Number != 1))
        {
            channels.Add(1, "family");
        }

        foreach (var id in Family)
        {
            channels.Join(1, id);
            permits.Grant(id, 1, PermitBits.Known, null, "demo", accepted: true);
        }

        return secrets;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
