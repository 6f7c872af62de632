using System.Diagnostics;
using MQTTnet.Protocol;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>One row of the console table: the fan-out of a burst with or without a console watching, and what the console saw.</summary>
public sealed record ConsoleLatencyResult(bool Watching, LatencyResult Fanout, int Events, int Shown, double P50Ms, double P99Ms, double MaxMs, double HolderMs);

/// <summary>
/// The console under load: <see cref="FanoutLatency"/>'s burst to every connected badge while the listeners report a
/// new battery level every <see cref="EventIntervalMs"/> ms (at most once, so a slow acknowledgement does not space them out) (the same load with and without a console watching). With
/// a console watching, each report's latency is its send time to the arrival of the first live-stream event showing
/// that battery, and the floor holder's from the floor request to the event naming the talker.
/// </summary>
public static class ConsoleLatency
{
    public const int EventIntervalMs = 20;

    public static async Task<ConsoleLatencyResult> RunAsync(int sampleRate, int listeners, int frames, bool watching)
    {
        var sent = new List<(string Badge, int Battery, long At)>();
        ConsoleWatcher? watcher = null;
        long floorRequested = 0;
        var round = 0;
        var fanout = await FanoutLatency.RunAsync(sampleRate, listeners, frames, console: watching, during: async (gateway, talker, audience, stop) =>
        {
            if (watching && watcher is null)
            {
                watcher = await ConsoleWatcher.StartAsync(gateway.HttpPort, BenchGateway.ConsoleUser, BenchGateway.ConsolePassword);
            }

            // Called for the warm-up burst and the measured one: each round reports batteries the last one did not.
            round++;
            floorRequested = Stopwatch.GetTimestamp();
            sent.Clear();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var badge = audience[n % audience.Length];
                var battery = 10 + ((round * 37 + n / audience.Length + badge.Id.GetHashCode()) & 0x3F);
                sent.Add((badge.Id, battery, Stopwatch.GetTimestamp()));
                await badge.PublishAsync(Topics.UpState(badge.Id),
                    new BadgeState { Status = BadgeStatus.Idle, Channel = 1, BatteryPercent = (byte)battery, Rssi = -60, Firmware = "bench" }.ToBytes(),
                    MqttQualityOfServiceLevel.AtMostOnce);
                await Task.Delay(EventIntervalMs);
            }
        });

        if (watcher is null)
        {
            return new ConsoleLatencyResult(false, fanout, sent.Count, 0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        await Task.Delay(1000);
        await watcher.DisposeAsync();
        var latencies = sent.Select(s => (s.At, Shown: watcher.BatteryShown(s.Badge, s.Battery, s.At)))
            .Where(s => s.Shown != 0).Select(s => Stopwatch.GetElapsedTime(s.At, s.Shown).TotalMilliseconds).Order().ToList();
        var holder = watcher.HolderShown(1, "talker", floorRequested);
        return new ConsoleLatencyResult(true, fanout, sent.Count, latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.99),
            latencies.Count == 0 ? double.NaN : latencies[^1], holder == 0 ? double.NaN : Stopwatch.GetElapsedTime(floorRequested, holder).TotalMilliseconds);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
