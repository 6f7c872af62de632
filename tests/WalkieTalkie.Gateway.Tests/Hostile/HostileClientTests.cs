using MQTTnet;
using MQTTnet.Protocol;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Hostile;

/// <summary>
/// Badges that misbehave: each is refused or dropped, the refusal is logged (by the gateway; with Mosquitto, access
/// control is the broker's and it is Mosquitto that logs it), and the gateway goes on serving the others.
/// </summary>
public abstract class HostileClientTests
{
    protected abstract BrokerKind Broker { get; }

    private bool GatewayDoesAccessControl => Broker == BrokerKind.Embedded;

    private async Task<TestGateway> StartAsync(Action<TestGateway>? arrange = null)
    {
        var g = TestGateway.Create();
        arrange?.Invoke(g);
        foreach (var id in new[] { "anna", "ben", "eve" })
        {
            g.AddBadge(id);
        }

        g.AddChannel(1, 8000, "anna", "ben", "eve");
        return await g.StartAsync(Broker);
    }

    /// <summary>Anna talks, Ben hears all of it: the gateway still serves the well-behaved.</summary>
    private static async Task AssertStillServesAsync(TestBadge anna, TestBadge ben, int frames = 5)
    {
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, frames);
        var end = await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        Assert.Equal(frames, end.FrameCount);
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(grant.BurstId).Count == frames));
    }

    [Fact]
    public async Task A_wrong_secret_or_a_borrowed_identity_is_refused_at_connect()
    {
        await using var g = await StartAsync();
        var wrong = await Assert.ThrowsAsync<ConnectRefusedException>(() => TestBadge.ConnectAsync(g.BadgePort, "eve", "not-the-secret"));
        Assert.Contains(wrong.ResultCode, new[] { MqttClientConnectResultCode.BadUserNameOrPassword, MqttClientConnectResultCode.NotAuthorized });
        await Assert.ThrowsAsync<ConnectRefusedException>(() => TestBadge.ConnectAsync(g.BadgePort, "nobody", "x"));
        await Assert.ThrowsAsync<ConnectRefusedException>(() => TestBadge.ConnectAsync(g.BadgePort, "eve", g.Secrets["anna"]));
        if (GatewayDoesAccessControl)
        {
            // Anna's secret, but another client id: a badge is one client.
            await Assert.ThrowsAsync<ConnectRefusedException>(() =>
                TestBadge.ConnectAsync(g.BadgePort, "eve", g.Secrets["anna"], userName: "anna"));
            Assert.True(g.Log.Contains("Refused connection", "eve"));
            Assert.True(g.Log.Contains("Refused connection", "nobody"));
        }

        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        await AssertStillServesAsync(anna, ben);
    }

    [Fact]
    public async Task Publishing_outside_its_own_up_topics_is_refused()
    {
        await using var g = await StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var eve = await g.ConnectAsync("eve");

        // Eve asks for the floor as Anna, and plays audio straight into Ben's downlink.
        await eve.PublishRawAsync(Topics.UpControl("anna"), new FloorRequest { Channel = 1 }.ToBytes());
        await eve.PublishRawAsync(Topics.DownAudio("ben"), TestFrames.Make(1, 999, 0), MqttQualityOfServiceLevel.AtMostOnce);
        await eve.PublishRawAsync(Topics.DownControl("ben"), new Wake { Reason = WakeReason.Burst, Channel = 1 }.ToBytes());
        await eve.PublishRawAsync("wt/v1/eve/elsewhere", [1, 2, 3]);
        await Task.Delay(300);

        Assert.Null(new SqliteStatusStore(g.Database).Holders().FirstOrDefault());
        Assert.False(anna.Has<FloorGranted>());
        Assert.Empty(ben.Audio);
        Assert.False(ben.Has<Wake>());
        if (GatewayDoesAccessControl)
        {
            Assert.True(g.Log.Contains("Refused publish", "eve", Topics.UpControl("anna")));
            Assert.True(g.Log.Contains("Refused publish", "eve", Topics.DownAudio("ben")));
            Assert.True(g.Log.Contains("Refused publish", "eve", "wt/v1/eve/elsewhere"));
        }

        await AssertStillServesAsync(anna, ben);
        // The forged frame (burst 999) is not echoed back to its sender either.
        Assert.DoesNotContain(eve.Audio, a =>
        {
            var frame = new AudioFrame();
            return frame.Read(a, 0, a.Length) == ProtocolError.None && frame.BurstId == 999;
        });
    }

    [Fact]
    public async Task Subscribing_outside_its_own_down_topics_is_refused()
    {
        await using var g = await StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var eve = await g.ConnectAsync("eve");
        foreach (var filter in new[] { "wt/v1/ben/down/#", "wt/v1/+/down/audio", "wt/v1/#", "#", "wt/v1/anna/up/#" })
        {
            var code = await eve.SubscribeAsync(filter);
            if (GatewayDoesAccessControl)
            {
                Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, code);
                Assert.True(g.Log.Contains("Refused subscription", "eve", filter));
            }
        }

        await AssertStillServesAsync(anna, ben);
        await Task.Delay(300);

        // Eve is a member of the channel, so she hears the burst on her own topic, and nothing of anyone else's.
        // (Mosquitto grants a wildcard filter and filters each delivery by the ACL, sending one copy per matching
        // subscription: her own topic may arrive more than once.)
        var grant = anna.Control.OfType<FloorGranted>().Last();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (ushort)i), eve.FramesOf(grant.BurstId).Select(f => f.Sequence).Distinct().Order());
        Assert.All(eve.Topics, t => Assert.StartsWith("wt/v1/eve/down/", t));
        Assert.False(eve.Has<FloorGranted>());
    }

    [Fact]
    public async Task Oversized_frames_and_control_messages_are_dropped()
    {
        await using var g = await StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.SendFrameAsync(TestFrames.Make(1, grant.BurstId, 0));

        // 25 blocks of 164 bytes: 4112 bytes, over the 4096-byte limit (and over the 8-block limit).
        var huge = new byte[AudioFrame.HeaderLength + 25 * 164];
        Array.Copy(TestFrames.Make(1, grant.BurstId, 1), huge, AudioFrame.HeaderLength);
        await anna.SendFrameAsync(huge);
        await anna.PublishRawAsync(Topics.UpControl("anna"), new byte[2000]);
        await anna.SendFrameAsync(TestFrames.Make(1, grant.BurstId, 2));
        await anna.SendAsync(new FloorRelease { Channel = 1, BurstId = grant.BurstId, FrameCount = 3 });

        var end = await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        Assert.Equal(2, end.FrameCount);
        Assert.Equal(new ushort[] { 0, 2 }, ben.FramesOf(grant.BurstId).Select(f => f.Sequence));
        Assert.All(ben.Audio, a => Assert.True(a.Length <= AudioFrame.MaxLength));
        Assert.True(g.Log.Contains("anna", "4112 bytes", "limit 4096"));
        Assert.True(g.Log.Contains("anna", "2000 bytes", "limit 1024"));
        var recording = new SqliteRecordingIndex(g.Database).Get(grant.BurstId)!;
        Assert.Equal(2, recording.FramesReceived);
        Assert.Equal(1, recording.FramesLost);

        await AssertStillServesAsync(anna, ben);
    }

    [Fact]
    public async Task Frames_numbered_0_50_100_do_not_make_a_recording_longer_than_the_burst()
    {
        // Before: each jump of 50 was filled with 49 frames of silence, a 1 s burst became a 48 s recording (x50), unlogged.
        await using var g = await StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var before = DateTimeOffset.UtcNow;
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        const int frames = 25;
        for (var i = 0; i < frames; i++)
        {
            await anna.SendFrameAsync(TestFrames.Make(1, grant.BurstId, (ushort)(i * 50), last: i == frames - 1));
            await Task.Delay(40);
        }

        await anna.SendAsync(new FloorRelease { Channel = 1, BurstId = grant.BurstId, FrameCount = (frames - 1) * 50 + 1 });
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        var wallClock = DateTimeOffset.UtcNow - before;

        var recording = new SqliteRecordingIndex(g.Database).Get(grant.BurstId)!;
        Assert.Equal(frames, recording.FramesReceived);
        Assert.Equal((frames - 1) * 49, recording.FramesLost);
        var oneBlockMs = 321.0 * 1000 / 8000;
        Assert.True(recording.DurationMs <= wallClock.TotalMilliseconds + oneBlockMs, $"{recording.DurationMs} ms recorded in {wallClock.TotalMilliseconds} ms");
        Assert.True(recording.DurationMs >= frames * oneBlockMs - 1, $"{recording.DurationMs} ms: every frame received is kept");
        Assert.Equal(1, g.Log.Count($"Burst {grant.BurstId} on channel 1", "never came"));

        await AssertStillServesAsync(anna, ben);
    }

    [Fact]
    public async Task Releasing_and_asking_again_at_once_does_not_keep_the_floor_from_a_badge_that_asked()
    {
        // Before: the holder's request right after its release was granted every time; another badge asked 47 times in 24 s and never got it.
        await using var g = await StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 3, release: false);
        Assert.Equal(DenyReason.Busy, Assert.IsType<FloorDenied>(await ben.RequestFloorAsync(1)).Reason);

        await anna.TalkAsync(grant, 1, firstSequence: 3);
        var again = Assert.IsType<FloorDenied>(await anna.RequestFloorAsync(1));
        Assert.Equal(DenyReason.Busy, again.Reason);
        Assert.True(again.RetryAfterSeconds > 0);
        var bens = Assert.IsType<FloorGranted>(await ben.RequestFloorAsync(1));
        await ben.TalkAsync(bens, 3);
        Assert.Equal(3, (await anna.WaitForAsync<BurstEnd>(e => e.BurstId == bens.BurstId)).FrameCount);
    }

    [Fact]
    public async Task Malformed_frames_and_control_messages_are_dropped()
    {
        await using var g = await StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var eve = await g.ConnectAsync("eve");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));

        var badVersion = TestFrames.Make(1, grant.BurstId, 0);
        badVersion[0] = 9;
        var truncated = TestFrames.Make(1, grant.BurstId, 0)[..15]; // a 3-byte block: under the 5-byte minimum
        var badStep = TestFrames.Make(1, grant.BurstId, 0);
        badStep[AudioFrame.HeaderLength + 2] = 200;
        var oddLength = TestFrames.Make(1, grant.BurstId, 0, blocks: 2)[..(AudioFrame.HeaderLength + 2 * 164 - 1)];
        foreach (var frame in new[] { badStep, badVersion, truncated, oddLength, [], new byte[] { 1 } })
        {
            await anna.SendFrameAsync(frame);
        }

        await eve.PublishRawAsync(Topics.UpControl("eve"), [1, 0x10]);                        // truncated floor-request
        await eve.PublishRawAsync(Topics.UpControl("eve"), [1, 0x11, 1, 0, 0, 0, 1, 0, 30]);  // a gateway-only message
        await eve.PublishRawAsync(Topics.UpControl("eve"), [7, 0x10, 1, 0]);                  // unknown version
        await eve.PublishRawAsync(Topics.UpState("eve"), new FloorRequest { Channel = 1 }.ToBytes()); // wrong topic
        await Task.Delay(300);

        Assert.Empty(ben.Audio);
        Assert.True(g.Log.Contains("Dropped malformed audio frame", "anna"));
        Assert.True(g.Log.Contains("Dropped malformed control message", "eve"));
        Assert.False(eve.Has<FloorGranted>());

        // The talker's good frames still go through, in the same burst.
        await anna.TalkAsync(grant, 4);
        Assert.Equal(4, (await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId)).FrameCount);
        await AssertStillServesAsync(anna, ben);
    }

    [Fact]
    public async Task A_flooding_badge_is_throttled_and_the_others_are_still_served()
    {
        // About the flood budget: Eve's requests (for a channel that is not hers) are also refusals, which past their
        // threshold would get her disconnected before her budget runs out on a slow machine (RefusalFloodTests tests that).
        await using var g = await StartAsync(gateway => gateway.Limits.RefusalsBeforeBan = 1_000_000);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var eve = await g.ConnectAsync("eve");

        var request = new FloorRequest { Channel = 2 }.ToBytes();
        var flood = Task.Run(async () =>
        {
            for (var i = 0; i < 3000; i++)
            {
                await eve.PublishRawAsync(Topics.UpControl("eve"), request, MqttQualityOfServiceLevel.AtMostOnce);
            }
        });
        await AssertStillServesAsync(anna, ben, frames: 20);
        await flood;

        Assert.True(await Eventually.TrueAsync(() => g.Log.Contains("Flood from badge eve")));
        Assert.False(g.Log.Contains("Flood from badge anna"));

        // Eve's answers (denied: unknown channel) are a fraction of what she sent.
        await Task.Delay(500);
        var answers = eve.Control.OfType<FloorDenied>().Count();
        Assert.InRange(answers, 1, 1500);
        await AssertStillServesAsync(anna, ben);
    }
}

public sealed class EmbeddedBrokerHostileClientTests : HostileClientTests
{
    protected override BrokerKind Broker => BrokerKind.Embedded;
}

public sealed class MosquittoHostileClientTests : HostileClientTests
{
    protected override BrokerKind Broker => BrokerKind.Mosquitto;
}
