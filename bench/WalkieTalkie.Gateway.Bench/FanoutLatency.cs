using System.Diagnostics;
using MQTTnet.Protocol;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>One row of the latency table.</summary>
public sealed record LatencyResult(int SampleRate, int Listeners, int Frames, double FrameMs, double P50Ms, double P99Ms, double MaxMs, double Delivered,
    double GatewayP50Ms, double GatewayP99Ms);

/// <summary>
/// Added latency per frame: a talker badge sends a burst at real-time pace; each listener stamps each frame's arrival.
/// The latency of a frame at a listener is its arrival minus its send time: talker to broker, the gateway's floor
/// check, recording and fan-out, broker to listener, all on loopback. Talker and listeners are MQTT clients in this
/// process, so their own costs are included.
/// </summary>
public static class FanoutLatency
{
    public const int BlockBytes = 164;

    /// <param name="console">Also serve the web console (HTTP on loopback, an admin account).</param>
    /// <param name="during">Runs from just before each burst's floor request until its listeners have it (warm-up and measured).</param>
    public static async Task<LatencyResult> RunAsync(int sampleRate, int listeners, int frames, bool console = false,
        Func<BenchGateway, VirtualBadge, VirtualBadge[], CancellationToken, Task>? during = null)
    {
        var ids = FanoutVersus.BadgeIds(listeners);
        await using var gateway = await BenchGateway.StartAsync(ids, sampleRate, ids.Count, console);
        var badges = await ConnectAllAsync(gateway, ids);
        Task Alongside(CancellationToken stop) => during?.Invoke(gateway, badges[0], badges[1..], stop) ?? Task.CompletedTask;
        try
        {
            var talker = badges[0];
            var audience = badges.Skip(1).ToArray();
            await Task.Delay(1000 + listeners); // let the gateway send every badge its config first

            await BurstAsync(talker, audience, sampleRate, 25, Alongside); // warm-up: JIT, pools
            gateway.Host.Engine.Timings.Clear();
            var sent = await BurstAsync(talker, audience, sampleRate, frames, Alongside);
            var own = gateway.Host.Engine.Timings.Milliseconds().Order().ToList();

            var latencies = new List<double>(frames * listeners);
            foreach (var listener in audience)
            {
                for (var i = 0; i < frames; i++)
                {
                    var arrival = listener.Arrival(i);
                    if (arrival != 0)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(sent[i], arrival).TotalMilliseconds);
                    }
                }
            }

            latencies.Sort();
            var frameMs = ImaAdpcm.SamplesPerBlockFor(BlockBytes) * 1000.0 / sampleRate;
            return new LatencyResult(sampleRate, listeners, frames, frameMs, Percentile(latencies, 0.50), Percentile(latencies, 0.99),
                latencies.Count == 0 ? double.NaN : latencies[^1], (double)latencies.Count / ((long)frames * listeners),
                Percentile(own, 0.50), Percentile(own, 0.99));
        }
        finally
        {
            foreach (var badge in badges)
            {
                await badge.DisposeAsync();
            }
        }
    }

    internal static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    public static async Task<VirtualBadge[]> ConnectAllAsync(BenchGateway gateway, IReadOnlyList<string> ids, int parallel = 32)
    {
        var badges = new VirtualBadge[ids.Count];
        using var gate = new SemaphoreSlim(parallel);
        await Task.WhenAll(ids.Select(async (id, i) =>
        {
            await gate.WaitAsync();
            try
            {
                badges[i] = await VirtualBadge.ConnectAsync(gateway.Port, id, gateway.Secrets[id]);
            }
            finally
            {
                gate.Release();
            }
        }));
        return badges;
    }

    /// <summary>Sends one burst at real-time pace and waits (bounded) until the listeners have it.</summary>
    private static async Task<long[]> BurstAsync(VirtualBadge talker, VirtualBadge[] audience, int sampleRate, int frames,
        Func<CancellationToken, Task> alongside)
    {
        using var stop = new CancellationTokenSource();
        var beside = alongside(stop.Token);
        foreach (var listener in audience)
        {
            listener.Expect(frames);
        }

        var sent = await TalkAsync(talker, sampleRate, frames, askFloor: true);
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until && audience.Any(l => Volatile.Read(ref l.Received) < frames))
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await beside;
        return sent;
    }

    /// <summary>
    /// The talker's side of a burst: the floor asked for and granted (when <paramref name="askFloor"/>; a plain broker has
    /// none), <paramref name="frames"/> frames at real-time pace (<paramref name="pace"/> times faster), the floor released.
    /// Returns each frame's send time.
    /// </summary>
    public static async Task<long[]> TalkAsync(VirtualBadge talker, int sampleRate, int frames, bool askFloor, double pace = 1)
    {
        talker.Expect(0);
        uint burstId = 1;
        if (askFloor)
        {
            await talker.SendControlAsync(new FloorRequest { Channel = 1 });
            burstId = (await talker.Granted.Task.WaitAsync(TimeSpan.FromSeconds(30))).BurstId;
        }

        var payloads = Enumerable.Range(0, frames).Select(i => Frame(burstId, (ushort)i, i == frames - 1, SampleRate.FromHertz(sampleRate))).ToArray();
        var sent = new long[frames];
        var frameTicks = (long)(ImaAdpcm.SamplesPerBlockFor(BlockBytes) * (double)Stopwatch.Frequency / sampleRate / pace);
        var start = Stopwatch.GetTimestamp();
        var topic = Topics.UpAudio(talker.Id);
        for (var i = 0; i < frames; i++)
        {
            var due = start + i * frameTicks;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            sent[i] = Stopwatch.GetTimestamp();
            await talker.PublishAsync(topic, payloads[i], MqttQualityOfServiceLevel.AtMostOnce);
        }

        if (askFloor)
        {
            await talker.SendControlAsync(new FloorRelease { Channel = 1, BurstId = burstId, FrameCount = (ushort)frames });
        }

        return sent;
    }

    private static byte[] Frame(uint burstId, ushort sequence, bool last, byte rateCode)
    {
        var frame = new byte[AudioFrame.LengthFor(1, BlockBytes)];
        var flags = (byte)((sequence == 0 ? FrameFlags.First : 0) | (last ? FrameFlags.Last : 0));
        AudioFrame.WriteHeader(frame, 0, 1, flags, burstId, sequence, rateCode, 1, BlockBytes);
        frame[AudioFrame.HeaderLength + 2] = 20;
        Random.Shared.NextBytes(frame.AsSpan(AudioFrame.HeaderLength + 4));
        return frame;
    }
}
