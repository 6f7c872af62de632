using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>Messages straight into a badge's session (the embedded broker's fast path) are valid MQTT and arrive in order.</summary>
public sealed class DirectRoutesTests
{
    [Fact]
    public async Task Control_and_audio_take_the_direct_route_with_valid_packet_identifiers()
    {
        await using var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, 8000, "anna", "ben");
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var link = Assert.IsType<EmbeddedBrokerLink>(g.Host.Link);
        Assert.True(await Eventually.TrueAsync(() => link.HasDirectRoute("anna") && link.HasDirectRoute("ben")));
        var before = link.DirectMessages;

        for (var round = 0; round < 3; round++)
        {
            var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
            await anna.TalkAsync(grant, 4);
            await ben.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
            Assert.Equal(new ushort[] { 0, 1, 2, 3 }, ben.FramesOf(grant.BurstId).Select(f => f.Sequence));
        }

        // 3 grants to Anna; 3 x (burst-start, 4 frames, burst-end) to Ben.
        Assert.True(link.DirectMessages - before >= 3 + 3 * 6);
        foreach (var badge in new[] { anna, ben })
        {
            var ids = badge.PacketIds.ToArray();
            Assert.NotEmpty(ids);
            Assert.DoesNotContain((ushort)0, ids);
            Assert.Equal(ids.Length, ids.Distinct().Count());
        }
    }

    [Fact]
    public async Task Frames_written_straight_to_the_connection_keep_their_order_with_control_in_mqtt_3_and_5()
    {
        await using var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddBadge("cleo");
        g.AddChannel(1, 8000, "anna", "ben", "cleo");
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        await using var ben = await TestBadge.ConnectAsync(g.BadgePort, "ben", g.Secrets["ben"], mqtt311: true);
        await using var cleo = await TestBadge.ConnectAsync(g.BadgePort, "cleo", g.Secrets["cleo"], mqtt5: true);
        var link = await ReadyWithDirectRoutesAsync(g, ben, cleo);
        var before = link.DirectlyWrittenFrames;

        var bursts = await TalkRoundsAsync(anna, 3, ben, cleo);

        // Frames went past the sessions' queues, and each listener heard every burst as start, its frames, end.
        Assert.True(link.DirectlyWrittenFrames - before > 0);
        AssertHeardWhole(bursts, ben, cleo);
    }

    [Fact]
    public async Task Frames_reach_a_listener_over_TLS_through_its_stream_and_one_over_plain_MQTT_through_its_socket()
    {
        await using var g = TestGateway.Create();
        g.Mqtt.TlsPort = FreePort.Next();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddBadge("cleo");
        g.AddChannel(1, 8000, "anna", "ben", "cleo");
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        // A frame sent on a TLS connection's socket, past its stream, would be plaintext in the TLS record stream: the
        // badge's TLS would fail and it would hear nothing more.
        await using var ben = await TestBadge.ConnectAsync(g.Mqtt.TlsPort, "ben", g.Secrets["ben"], mqtt311: true, tls: true);
        await using var cleo = await TestBadge.ConnectAsync(g.BadgePort, "cleo", g.Secrets["cleo"], mqtt311: true);
        var link = await ReadyWithDirectRoutesAsync(g, ben, cleo);
        var before = link.DirectlyWrittenFrames;

        var bursts = await TalkRoundsAsync(anna, 2, ben, cleo);

        Assert.True(link.DirectlyWrittenFrames - before > 0);
        AssertHeardWhole(bursts, ben, cleo);
    }

    [Fact]
    public async Task Frames_to_a_small_audience_are_written_on_the_engines_thread_and_to_a_large_one_by_the_writers()
    {
        await using var g = TestGateway.Create();
        g.Mqtt.InlineAudience = 8; // the default (256) needs as many badges
        var listeners = Enumerable.Range(1, g.Mqtt.InlineAudience + 1).Select(i => $"l{i:D2}").ToArray();
        g.AddBadge("anna");
        foreach (var id in listeners)
        {
            g.AddBadge(id);
        }

        g.AddChannel(1, 8000, ["anna", .. listeners]);
        g.AddChannel(2, 8000, "anna", listeners[0]);
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        var badges = new List<TestBadge>();
        foreach (var id in listeners)
        {
            badges.Add(await g.ConnectAsync(id));
        }

        var link = Assert.IsType<EmbeddedBrokerLink>(g.Host.Link);
        Assert.True(await Eventually.TrueAsync(() => listeners.All(link.HasDirectRoute)));

        // One listener: the engine writes the frames itself.
        var written = link.DirectlyWrittenFrames;
        var byEngine = link.FramesWrittenByCaller;
        var alone = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(2));
        await anna.TalkAsync(alone, 8, gapMs: 40);
        await badges[0].WaitForAsync<BurstEnd>(e => e.BurstId == alone.BurstId);
        Assert.Equal(8, badges[0].FramesOf(alone.BurstId).Count);
        Assert.True(link.FramesWrittenByCaller - byEngine > 0);
        Assert.Equal(link.DirectlyWrittenFrames - written, link.FramesWrittenByCaller - byEngine);

        // More listeners than that: the writers write them, the engine none.
        written = link.DirectlyWrittenFrames;
        byEngine = link.FramesWrittenByCaller;
        var many = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(many, 8, gapMs: 40);
        foreach (var badge in badges)
        {
            await badge.WaitForAsync<BurstEnd>(e => e.BurstId == many.BurstId);
            Assert.Equal(8, badge.FramesOf(many.BurstId).Count);
        }

        Assert.True(link.DirectlyWrittenFrames - written > 0);
        Assert.Equal(byEngine, link.FramesWrittenByCaller);
    }

    // What the badge heard of bursts, in arrival order: the control and audio queues keep their own order, and the
    // topics say how they interleaved.
    /// <summary>The listeners idle with their config, and the gateway holding a direct route to each.</summary>
    private static async Task<EmbeddedBrokerLink> ReadyWithDirectRoutesAsync(TestGateway g, params TestBadge[] listeners)
    {
        foreach (var listener in listeners)
        {
            await listener.SendStateAsync(BadgeStatus.Idle);
            await listener.WaitForAsync<Config>();
        }

        var link = Assert.IsType<EmbeddedBrokerLink>(g.Host.Link);
        Assert.True(await Eventually.TrueAsync(() => listeners.All(l => link.HasDirectRoute(l.Id))));
        return link;
    }

    /// <summary>Bursts of 8 frames on channel 1, each heard whole by every listener before the next.</summary>
    private static async Task<List<uint>> TalkRoundsAsync(TestBadge talker, int rounds, params TestBadge[] listeners)
    {
        var bursts = new List<uint>();
        for (var round = 0; round < rounds; round++)
        {
            var grant = Assert.IsType<FloorGranted>(await talker.RequestFloorAsync(1));
            bursts.Add(grant.BurstId);
            await talker.TalkAsync(grant, 8, gapMs: 40);
            foreach (var listener in listeners)
            {
                await listener.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId);
                Assert.Equal(Enumerable.Range(0, 8).Select(i => (ushort)i), listener.FramesOf(grant.BurstId).Select(f => f.Sequence));
            }
        }

        return bursts;
    }

    /// <summary>Each listener heard every burst as its start, its 8 frames, its end, in order.</summary>
    private static void AssertHeardWhole(List<uint> bursts, params TestBadge[] listeners)
    {
        foreach (var listener in listeners)
        {
            Assert.Equal(bursts.SelectMany(b => new[] { $"start {b}" }.Concat(Enumerable.Repeat($"frame {b}", 8)).Append($"end {b}")), Heard(listener));
        }
    }

    private static List<string> Heard(TestBadge badge)
    {
        var control = new Queue<ControlMessage>(badge.Control);
        var audio = new Queue<byte[]>(badge.Audio);
        var frame = new AudioFrame();
        var heard = new List<string>();
        foreach (var topic in badge.Topics)
        {
            if (topic.EndsWith("/audio", StringComparison.Ordinal))
            {
                var payload = audio.Dequeue();
                Assert.Equal(ProtocolError.None, frame.Read(payload, 0, payload.Length));
                heard.Add($"frame {frame.BurstId}");
            }
            else
            {
                switch (control.Dequeue())
                {
                    case BurstStart start:
                        heard.Add($"start {start.BurstId}");
                        break;
                    case BurstEnd end:
                        heard.Add($"end {end.BurstId}");
                        break;
                }
            }
        }

        return heard;
    }
}
