using MQTTnet.Protocol;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// A badge's own audio frames go from its connection straight to the broker's publish check (not through MQTTnet's
/// session loop): they still reach listeners and the recording, what that check refuses is still refused, what is not
/// plainly such a frame still goes through MQTTnet, and a badge that only talks is not disconnected for silence.
/// </summary>
public sealed class UplinkShortWayTests
{
    private static async Task<TestGateway> StartAsync(Action<TestGateway>? arrange = null)
    {
        var g = TestGateway.Create();
        arrange?.Invoke(g);
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddBadge("eve");
        g.AddChannel(1, 8000, "anna", "ben", "eve");
        return await g.StartAsync();
    }

    // A badge asking for its own keep-alive (zero: none, so every audio frame takes the short way), announced as
    // TestGateway.ConnectAsync does.
    private static async Task<TestBadge> ConnectAsync(TestGateway g, string id, TimeSpan keepAlive)
    {
        var badge = await TestBadge.ConnectAsync(g.BadgePort, id, g.Secrets[id], keepAlive: keepAlive);
        await badge.SendStateAsync(BadgeStatus.Idle);
        await badge.WaitForAsync<Config>();
        return badge;
    }

    [Fact]
    public async Task A_burst_longer_than_the_keep_alive_keeps_the_talker_connected_and_arrives_whole()
    {
        await using var g = await StartAsync();
        // MQTTnet allows 1.5 times the keep-alive, 3 s here; the burst lasts twice that and more, audio only (the client
        // sends no PINGREQ while it publishes).
        await using var anna = await ConnectAsync(g, "anna", TimeSpan.FromSeconds(2));
        var ben = await g.ConnectAsync("ben");
        var link = Assert.IsType<EmbeddedBrokerLink>(g.Host.Link);

        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        const int frames = 150;
        var started = DateTime.UtcNow;
        await anna.TalkAsync(grant, frames, gapMs: 45);
        Assert.True(DateTime.UtcNow - started > TimeSpan.FromSeconds(6), "the burst outlasts twice the keep-alive's limit");

        var end = await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 15_000);
        Assert.Equal(frames, end.FrameCount);
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(grant.BurstId).Count == frames, 10_000));
        Assert.True(anna.IsConnected);
        Assert.True(link.ShortUplinkFrames("anna") > frames / 2, $"{link.ShortUplinkFrames("anna")} of {frames} frames took the short way");
        Assert.True(await Eventually.TrueAsync(() => new SqliteRecordingIndex(g.Database).Get(grant.BurstId)?.FramesReceived == frames, 10_000));

        // Still connected, and still heard, after the burst.
        var again = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(again, 3);
        Assert.Equal(3, (await ben.WaitForAsync<BurstEnd>(e => e.BurstId == again.BurstId)).FrameCount);
    }

    [Fact]
    public async Task An_oversized_frame_taking_the_short_way_is_refused_and_the_others_recorded()
    {
        await using var g = await StartAsync();
        await using var anna = await ConnectAsync(g, "anna", TimeSpan.Zero);
        var ben = await g.ConnectAsync("ben");
        var link = Assert.IsType<EmbeddedBrokerLink>(g.Host.Link);
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));

        var huge = new byte[AudioFrame.HeaderLength + 25 * 164];
        Array.Copy(TestFrames.Make(1, grant.BurstId, 1), huge, AudioFrame.HeaderLength);
        await anna.SendFrameAsync(TestFrames.Make(1, grant.BurstId, 0));
        await anna.SendFrameAsync(huge);
        await anna.SendFrameAsync(TestFrames.Make(1, grant.BurstId, 2));
        Assert.True(await Eventually.TrueAsync(() => link.ShortUplinkFrames("anna") == 3));
        await anna.SendAsync(new FloorRelease { Channel = 1, BurstId = grant.BurstId, FrameCount = 3 });

        var end = await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        Assert.Equal(2, end.FrameCount);
        Assert.Equal(new ushort[] { 0, 2 }, ben.FramesOf(grant.BurstId).Select(f => f.Sequence));
        Assert.True(g.Log.Contains("anna", "4112 bytes", "limit 4096"));
        var recording = new SqliteRecordingIndex(g.Database).Get(grant.BurstId)!;
        Assert.Equal(2, recording.FramesReceived);
    }

    [Fact]
    public async Task A_flood_taking_the_short_way_is_throttled()
    {
        await using var g = await StartAsync(gateway =>
        {
            gateway.Mqtt.FloodBurst = 5;
            gateway.Mqtt.FloodMessagesPerSecond = 0.1;
        });
        await using var anna = await ConnectAsync(g, "anna", TimeSpan.Zero);
        var ben = await g.ConnectAsync("ben");
        var link = Assert.IsType<EmbeddedBrokerLink>(g.Host.Link);
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));

        for (var i = 0; i < 20; i++)
        {
            await anna.SendFrameAsync(TestFrames.Make(1, grant.BurstId, (ushort)i));
        }

        Assert.True(await Eventually.TrueAsync(() => link.ShortUplinkFrames("anna") == 20));
        Assert.True(await Eventually.TrueAsync(() => g.Log.Contains("Flood from badge anna", "audio")));
        await anna.SendAsync(new FloorRelease { Channel = 1, BurstId = grant.BurstId, FrameCount = 20 });
        var end = await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        Assert.InRange(end.FrameCount, 5, 6); // the burst, and at most one more refilled meanwhile
        Assert.Equal(end.FrameCount, ben.FramesOf(grant.BurstId).Count);
    }

    [Fact]
    public async Task Another_badges_topic_a_retained_or_a_QoS_1_frame_go_through_the_broker_as_before()
    {
        await using var g = await StartAsync();
        await using var anna = await ConnectAsync(g, "anna", TimeSpan.Zero);
        var ben = await g.ConnectAsync("ben");
        await using var eve = await ConnectAsync(g, "eve", TimeSpan.Zero);
        var link = Assert.IsType<EmbeddedBrokerLink>(g.Host.Link);
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));

        // Eve's frame on Anna's topic: refused, as before.
        await eve.PublishRawAsync(Topics.UpAudio("anna"), TestFrames.Make(1, grant.BurstId, 0), MqttQualityOfServiceLevel.AtMostOnce);
        Assert.True(await Eventually.TrueAsync(() => g.Log.Contains("Refused publish", "eve", Topics.UpAudio("anna"))));

        // Anna's own frames, retained and QoS 1: the broker's interceptor takes them, as before (the broker keeps no
        // retained audio: the gateway tells it not to process uplink).
        await anna.PublishRawAsync(Topics.UpAudio("anna"), TestFrames.Make(1, grant.BurstId, 0), MqttQualityOfServiceLevel.AtLeastOnce);
        await anna.PublishRawAsync(Topics.UpAudio("anna"), TestFrames.Make(1, grant.BurstId, 1), MqttQualityOfServiceLevel.AtMostOnce, retain: true);
        await anna.SendFrameAsync(TestFrames.Make(1, grant.BurstId, 2));
        await anna.SendAsync(new FloorRelease { Channel = 1, BurstId = grant.BurstId, FrameCount = 3 });

        var end = await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
        Assert.Equal(3, end.FrameCount);
        Assert.Equal(new ushort[] { 0, 1, 2 }, ben.FramesOf(grant.BurstId).Select(f => f.Sequence));
        Assert.Equal(1, link.ShortUplinkFrames("anna"));
        Assert.Equal(0, link.ShortUplinkFrames("eve"));
        Assert.Equal(3, new SqliteRecordingIndex(g.Database).Get(grant.BurstId)!.FramesReceived);
    }
}
