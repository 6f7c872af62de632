using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Badge.Simulation.Audio;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Audio;
using Xunit.Abstractions;

namespace WalkieTalkie.Gateway.Tests.Playback;

/// <summary>
/// A real virtual badge (the portable badge code, jitter buffer and speaker) plays a queued voice message: its
/// output WAV holds the message, found by normalised cross-correlation with the decoded blocks that were queued.
/// </summary>
public sealed class VirtualBadgeHearsMatrixTests(ITestOutputHelper output)
{
    private const int Rate = 8000;
    private const int SamplesPerBlock = 321;

    private static short[] Decode(IReadOnlyList<byte[]> blocks)
    {
        var samples = new short[blocks.Count * SamplesPerBlock];
        for (var b = 0; b < blocks.Count; b++)
        {
            Assert.Equal(SamplesPerBlock, ImaAdpcmDecoder.DecodeBlock(blocks[b], 0, blocks[b].Length, samples, b * SamplesPerBlock));
        }

        return samples;
    }

    [Fact]
    public async Task A_virtual_badge_plays_the_queued_message()
    {
        var folder = Directory.CreateTempSubdirectory("wt-matrix-play-").FullName;
        await using var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, Rate, "anna", "ben");
        await g.StartAsync();

        var heardPath = Path.Combine(folder, "ben.wav");
        // Deep buffers, as in the virtual badge's end-to-end test: a shared, loaded machine may stall for hundreds of ms.
        var tunables = VirtualBadgeSettings.DefaultTunables();
        tunables.JitterSlots = 32;
        tunables.JitterPrefill = Rate / (2 * SamplesPerBlock) + 1;
        tunables.InboxSlots = 64; // 2.5 s of frames: a stall under a full CI run overflowed the default 16 messages
        // No latency trim: it plays blocks shorter to take back latency a stall of this loaded process added, which moves
        // the rest of the burst in time as the stall did, and the speech correlation cannot follow (0.09-0.69 seen).
        tunables.LatencyTrimWindowMilliseconds = 0;
        await using var fleet = new VirtualBadgeFleet { Log = (_, line) => output.WriteLine(line) };
        fleet.Add(new VirtualBadgeSettings
        {
            Id = "ben", Port = g.BadgePort, Password = g.Secrets["ben"], OutputWav = heardPath, Tunables = tunables,
            SpeakerQueueMilliseconds = 200, Channels = [new VirtualChannel(1, Rate)],
        });
        fleet.Start();
        Assert.True(await fleet.WaitUntilAsync(f => f.Badges[0].Mode == BadgeMode.Idle, TimeSpan.FromSeconds(10)), "the badge did not connect");
        // Online for the gateway (its config sent) before the message: then it is a live listener from the first frame.
        Assert.True(await Eventually.TrueAsync(() => g.Log.Contains("Badge ben is online")), "the gateway never saw the badge online");
        await Task.Delay(300);

        var blocks = Speech.Encode(Speech.Signal(seed: 1, seconds: 2.5, Rate), SamplesPerBlock);
        var audio = new ChannelAudio(Rate, blocks, blocks.Count * SamplesPerBlock * 1000L / Rate);
        var burstId = await new EngineBadgePlayer(g.Host.Engine).QueueAsync("ch1", audio, "Alice", CancellationToken.None);
        var done = await fleet.WaitUntilAsync(f => f.Badges[0].Bursts.Any(b => b.Complete) && f.Badges[0].Mode == BadgeMode.Idle, TimeSpan.FromSeconds(15));
        var summary = await fleet.StopAsync();
        Assert.True(done, "the badge never finished playing the message");
        var burst = Assert.Single(summary["ben"].Bursts);
        output.WriteLine($"burst {burstId}: received {burst.FramesReceived}, lost {burst.FramesLost}, concealed {burst.BlocksConcealed}");
        Assert.Equal(blocks.Count, burst.FramesReceived + burst.FramesLost);
        Assert.True(burst.FramesReceived >= blocks.Count - 1, "loopback loses at most a frame (a loaded machine may overflow the badge's inbox)");

        var received = PcmClip.Load(heardPath);
        Assert.Equal(Rate, received.SampleRate);
        var heard = Speech.Heard(Decode(blocks), received.Samples, Rate);
        // The control: other audio of the same kind must not be found (so the measure can fail).
        var control = Speech.Heard(Decode(Speech.Encode(Speech.Signal(seed: 2, seconds: 2.5, Rate), SamplesPerBlock)), received.Samples, Rate);
        output.WriteLine($"correlation with the queued message {heard.Score:0.000} ({heard.WeakPieces} of {heard.Pieces} pieces weak), " +
            $"with other audio {control.Score:0.000}");
        Assert.True(heard.Score >= 0.9, $"correlation {heard.Score:0.000} is below 0.9");
        Assert.True(heard.WeakPieces == 0, $"{heard.WeakPieces} of {heard.Pieces} pieces of the message were not heard");
        Assert.True(control.Score < 0.45, $"unrelated audio correlates {control.Score:0.000}");
        Directory.Delete(folder, recursive: true);
    }
}
