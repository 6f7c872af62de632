using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;
using WalkieTalkie.Gateway.Tests.Playback;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Replies;

/// <summary>
/// The engine's half of a private reply to a phone (the bridge's half runs in the end-to-end DirectReplyTests): the
/// Matrix sender's user id travels with the talker into last_talkers and across a restart; a reply to them takes the
/// pair's floor and is recorded private to that user id, offered to the bridge's direct-reply feed and to no badge; a
/// sender known by name only is unreachable; a voice message from the person's direct room plays on one badge only.
/// </summary>
public sealed class MatrixTalkerReplyTests
{
    private const string Dad = "@dad:example.org";

    private static TestGateway Family()
    {
        var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, 8000, "anna", "ben");
        return g;
    }

    private static async Task<ControlMessage> ReplyAsync(TestBadge badge)
    {
        var before = badge.Control.Count;
        await badge.SendAsync(new ReplyRequest { Channel = 1 });
        return await badge.WaitForAsync<ControlMessage>(m => m is ReplyGranted or ReplyDenied, skip: before);
    }

    [Fact]
    public async Task A_reply_to_a_phone_is_recorded_for_its_user_id_and_reaches_no_badge_even_after_a_restart()
    {
        await using var g = Family();
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var message = await new EngineBadgePlayer(g.Host.Engine).QueueAsync("ch1", MatrixAudio.Message(4, tag: 1), "Dad", Dad, CancellationToken.None);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == message);
        Assert.True(await Eventually.TrueAsync(() =>
            new SqliteLastTalkerStore(g.Database).All().Any(t => t.BadgeId == "ben" && t.TalkerKey == "matrix:Dad" && t.MatrixUserId == Dad)));

        var granted = Assert.IsType<ReplyGranted>(await ReplyAsync(ben));
        Assert.Equal("Dad", granted.To);
        for (var i = 0; i < 3; i++)
        {
            await ben.SendFrameAsync(TestFrames.Make(1, granted.BurstId, (ushort)i, last: i == 2));
        }

        await ben.SendAsync(new FloorRelease { Channel = 1, BurstId = granted.BurstId, FrameCount = 3 });
        var feed = new SqliteDirectReplyFeed(g.Database);
        Assert.True(await Eventually.TrueAsync(() => feed.Peek() is not null));
        var reply = feed.Peek()!;
        Assert.Equal((granted.BurstId, Dad, "ben", (byte)1, "ch1"), (reply.Burst.BurstId, reply.UserId, reply.Burst.BadgeId, reply.ChannelNumber, reply.Burst.Channel));
        Assert.Equal(3, new SqliteRecordingIndex(g.Database).Recent(50).Single(r => r.BurstId == granted.BurstId).FramesReceived);
        Assert.False(anna.Has<BurstStart>(s => s.BurstId == granted.BurstId));
        Assert.False(anna.Has<ReplyIncoming>());
        Assert.False(new SqliteUnplayedStore(g.Database).Contains("anna", granted.BurstId));
        feed.Acknowledge(reply);
        Assert.Null(feed.Peek());

        await g.Host.DisposeAsync();
        await g.StartAsync();
        var again = await g.ConnectAsync("ben");
        var afterRestart = Assert.IsType<ReplyGranted>(await ReplyAsync(again));
        Assert.Equal("Dad", afterRestart.To);
    }

    [Fact]
    public async Task A_sender_known_by_name_only_is_unreachable()
    {
        await using var g = Family();
        await g.StartAsync();
        var ben = await g.ConnectAsync("ben");
        var message = await new EngineBadgePlayer(g.Host.Engine).QueueAsync("ch1", MatrixAudio.Message(4, tag: 2), "Dad", CancellationToken.None);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == message);

        var denied = Assert.IsType<ReplyDenied>(await ReplyAsync(ben));
        Assert.Equal(ReplyDenyReason.Unreachable, denied.Reason);
    }

    [Fact]
    public async Task A_voice_message_from_a_direct_room_plays_on_its_badge_alone_as_a_private_burst()
    {
        await using var g = Family();
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var audio = MatrixAudio.Message(6, tag: 3);

        var burstId = await g.Host.Engine.QueuePrivateAudioAsync("ben", 1, audio.AdpcmBlocks, audio.SampleRate, "Dad", Dad, CancellationToken.None);
        await ben.WaitForAsync<UnplayedList>(l => l.Entries.Any(e => e.BurstId == burstId && e.Talker == "Dad"));
        await ben.SendAsync(new PlayRequest { BurstId = burstId });
        await ben.WaitForAsync<ReplyIncoming>(m => m.BurstId == burstId);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == burstId);
        Assert.Equal(audio.AdpcmBlocks, MatrixAudio.BlocksOf(ben.FramesOf(burstId).Select(f => f.Payload)));

        // Nobody else is given or offered it, and it goes to no room.
        await anna.SendAsync(new PlayRequest { BurstId = burstId });
        await Task.Delay(300);
        Assert.False(anna.Has<BurstStart>(s => s.BurstId == burstId));
        Assert.False(anna.Has<UnplayedList>(l => l.Entries.Any(e => e.BurstId == burstId)));
        Assert.Null(new SqliteDirectReplyFeed(g.Database).Peek());
        // Dad is now ben's last talker, with his user id: ben can answer him.
        Assert.IsType<ReplyGranted>(await ReplyAsync(ben));
    }

    [Fact]
    public async Task A_direct_room_message_for_a_badge_that_may_not_hear_the_channel_is_refused()
    {
        await using var g = Family();
        g.AddBadge("cara");
        await g.StartAsync();
        var audio = MatrixAudio.Message(2, tag: 4);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            g.Host.Engine.QueuePrivateAudioAsync("cara", 1, audio.AdpcmBlocks, audio.SampleRate, "Dad", Dad, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            g.Host.Engine.QueuePrivateAudioAsync("ben", 1, audio.AdpcmBlocks, 16000, "Dad", Dad, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            g.Host.Engine.QueuePrivateAudioAsync("ben", 9, audio.AdpcmBlocks, audio.SampleRate, "Dad", Dad, CancellationToken.None));
    }
}
