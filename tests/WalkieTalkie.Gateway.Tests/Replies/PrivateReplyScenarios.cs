using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Replies;

/// <summary>
/// Private replies end to end: a badge answers the last talker it heard on a channel; only that badge hears it (live,
/// or from its unplayed queue when asleep), the channel's floor stays free, and nobody else is given or offered it.
/// </summary>
public abstract class PrivateReplyScenarios
{
    protected abstract BrokerKind Broker { get; }

    private static TestGateway Family()
    {
        var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddBadge("cara");
        g.AddChannel(1, 8000, "anna", "ben", "cara");
        return g;
    }

    /// <summary>Starts the gateway, connects the three, and anna talks to the channel: the last talker ben and cara heard.</summary>
    private async Task<(TestBadge Anna, TestBadge Ben, TestBadge Cara)> AnnaTalksAsync(TestGateway g)
    {
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var cara = await g.ConnectAsync("cara");
        var said = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(said, 3);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == said.BurstId);
        await cara.WaitForAsync<BurstEnd>(e => e.BurstId == said.BurstId);
        return (anna, ben, cara);
    }

    private static async Task<ReplyGranted> ReplyAsync(TestBadge badge, byte channel)
    {
        var before = badge.Control.Count;
        await badge.SendAsync(new ReplyRequest { Channel = channel });
        var answer = await badge.WaitForAsync<ControlMessage>(m => m is ReplyGranted or ReplyDenied, skip: before);
        return Assert.IsType<ReplyGranted>(answer);
    }

    private static async Task SendAsync(TestBadge badge, ReplyGranted grant, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await badge.SendFrameAsync(TestFrames.Make(grant.Channel, grant.BurstId, (ushort)i, last: i == count - 1));
            await Task.Delay(5);
        }

        await badge.SendAsync(new FloorRelease { Channel = grant.Channel, BurstId = grant.BurstId, FrameCount = (ushort)count });
    }

    [Fact]
    public async Task A_private_reply_reaches_only_the_last_talker_and_leaves_the_channel_free()
    {
        await using var g = Family();
        var (anna, ben, cara) = await AnnaTalksAsync(g);

        var reply = await ReplyAsync(ben, 1);
        Assert.Equal("Anna", reply.To);
        Assert.Equal((byte)1, reply.Channel);
        // The pair's floor is not the channel's: cara may talk on the channel meanwhile.
        var caraTalks = Assert.IsType<FloorGranted>(await cara.RequestFloorAsync(1));
        await SendAsync(ben, reply, 4);
        await cara.TalkAsync(caraTalks, 1);

        await anna.WaitForAsync<ReplyIncoming>(m => m.BurstId == reply.BurstId);
        var start = await anna.WaitForAsync<BurstStart>(s => s.BurstId == reply.BurstId);
        Assert.Equal("Ben", start.Talker);
        await anna.WaitForAsync<BurstEnd>(e => e.BurstId == reply.BurstId);
        Assert.True(await Eventually.TrueAsync(() => anna.FramesOf(reply.BurstId).Count == 4));

        await Task.Delay(500);
        Assert.False(cara.Has<BurstStart>(s => s.BurstId == reply.BurstId));
        Assert.False(cara.Has<ReplyIncoming>());
        Assert.Empty(cara.FramesOf(reply.BurstId));
        Assert.False(cara.Has<UnplayedList>(l => l.Entries.Any(e => e.BurstId == reply.BurstId)));
        Assert.Empty(new SqliteUnplayedStore(g.Database).List("cara"));
        Assert.Equal("anna", new SqliteRecordingIndex(g.Database).Get(reply.BurstId)!.PrivateTo);

        // Asked for by id, it is still not cara's to hear.
        await cara.SendAsync(new PlayRequest { BurstId = reply.BurstId });
        await Task.Delay(300);
        Assert.False(cara.Has<BurstStart>(s => s.BurstId == reply.BurstId));
    }

    [Fact]
    public async Task A_private_reply_to_a_badge_in_its_pocket_waits_in_its_unplayed_queue_only()
    {
        await using var g = Family();
        var (anna, ben, cara) = await AnnaTalksAsync(g);
        await anna.SendAsync(new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 300 });
        await anna.SendStateAsync(BadgeStatus.Pocket);
        await Task.Delay(200);
        await anna.DisposeAsync();

        var reply = await ReplyAsync(ben, 1);
        await SendAsync(ben, reply, 3);
        Assert.True(await Eventually.TrueAsync(() => new SqliteUnplayedStore(g.Database).Contains("anna", reply.BurstId)));

        var back = await g.ConnectAsync("anna");
        await back.WaitForAsync<UnplayedList>(l => l.Entries.Any(e => e.BurstId == reply.BurstId && e.Talker == "Ben"));
        await back.SendAsync(new PlayRequest { BurstId = reply.BurstId });
        await back.WaitForAsync<ReplyIncoming>(m => m.BurstId == reply.BurstId);
        await back.WaitForAsync<BurstEnd>(e => e.BurstId == reply.BurstId);
        Assert.True(await Eventually.TrueAsync(() => back.FramesOf(reply.BurstId).Count == 3));
        Assert.False(new SqliteUnplayedStore(g.Database).Contains("cara", reply.BurstId));
        Assert.False(cara.Has<BurstStart>(s => s.BurstId == reply.BurstId));
    }

    [Fact]
    public async Task A_reply_with_nobody_heard_yet_is_denied_and_the_listener_can_answer_back()
    {
        await using var g = Family();
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");

        await ben.SendAsync(new ReplyRequest { Channel = 1 });
        var denied = await ben.WaitForAsync<ReplyDenied>();
        Assert.Equal(ReplyDenyReason.NoOneToReply, denied.Reason);

        var said = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(said, 2);
        var reply = await ReplyAsync(ben, 1);
        await SendAsync(ben, reply, 2);
        await anna.WaitForAsync<BurstEnd>(e => e.BurstId == reply.BurstId);

        // Anna heard ben last: her reply goes back to him.
        var back = await ReplyAsync(anna, 1);
        Assert.Equal("Ben", back.To);
    }
}

public sealed class EmbeddedBrokerPrivateReplies : PrivateReplyScenarios
{
    protected override BrokerKind Broker => BrokerKind.Embedded;

    [Fact]
    public async Task The_last_talker_survives_a_restart()
    {
        await using var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, 8000, "anna", "ben");
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var said = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(said, 2);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == said.BurstId);
        Assert.True(await Eventually.TrueAsync(() => new SqliteLastTalkerStore(g.Database).All().Any(t => t.BadgeId == "ben" && t.TalkerKey == "anna")));
        await g.Host.DisposeAsync();

        await g.StartAsync(Broker);
        await g.ConnectAsync("anna");
        var again = await g.ConnectAsync("ben");
        await again.SendAsync(new ReplyRequest { Channel = 1 });
        var reply = await again.WaitForAsync<ReplyGranted>();
        Assert.Equal("Anna", reply.To);
    }
}

public sealed class MosquittoPrivateReplies : PrivateReplyScenarios
{
    protected override BrokerKind Broker => BrokerKind.Mosquitto;
}
