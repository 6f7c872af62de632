using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Playback;

/// <summary>
/// Voice messages from Matrix played on the badges through the floor (issue 6, incoming), with test badges over
/// MQTT on the embedded broker: the same delivery as a badge's burst, to the same badges.
/// </summary>
public sealed class MatrixPlaybackTests
{
    private static TestGateway Family(params string[] extra)
    {
        var g = TestGateway.Create();
        foreach (var id in new[] { "anna", "ben", "cara" }.Concat(extra))
        {
            g.AddBadge(id, priority: id == "boss");
        }

        g.AddChannel(1, 8000, new[] { "anna", "ben", "cara" }.Concat(extra.Where(e => e == "boss")).ToArray());
        return g;
    }

    private static EngineBadgePlayer Player(TestGateway g) => new EngineBadgePlayer(g.Host.Engine);

    private static void AssertPlayed(TestBadge badge, uint burstId, ChannelAudio audio, int blocksPerFrame)
    {
        var frames = badge.FramesOf(burstId);
        var expectedFrames = (audio.AdpcmBlocks.Count + blocksPerFrame - 1) / blocksPerFrame;
        Assert.Equal(Enumerable.Range(0, expectedFrames).Select(i => (ushort)i), frames.Select(f => f.Sequence));
        Assert.True((frames[0].Flags & FrameFlags.First) != 0);
        Assert.True((frames[^1].Flags & FrameFlags.Last) != 0);
        Assert.All(frames, f => Assert.True((f.Flags & FrameFlags.Replay) == 0));
        Assert.Equal(audio.AdpcmBlocks, MatrixAudio.BlocksOf(frames.Select(f => f.Payload)));
    }

    private static int IndexOf(TestBadge badge, Func<ControlMessage, bool> match) => Array.FindIndex(badge.Control.ToArray(), m => match(m));

    [Fact]
    public async Task Queued_messages_reach_every_permitted_awake_listener_in_order_and_no_one_else()
    {
        await using var g = Family("dan", "eve");
        g.Channels.Join(1, "dan");
        g.Permits.Grant("dan", 1, PermitBits.Known, null, "test", accepted: false); // offered, never accepted
        g.Options.BlocksPerFrame = 2;
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var cara = await g.ConnectAsync("cara");
        var dan = await g.ConnectAsync("dan");
        var eve = await g.ConnectAsync("eve");

        var first = MatrixAudio.Message(5, tag: 1);
        var second = MatrixAudio.Message(8, tag: 2);
        var firstId = await Player(g).QueueAsync("ch1", first, "Alice", CancellationToken.None);
        var secondId = await Player(g).QueueAsync("ch1", second, "Bob", CancellationToken.None);
        Assert.NotEqual(firstId, secondId);

        foreach (var listener in new[] { anna, ben, cara })
        {
            var end = await listener.WaitForAsync<BurstEnd>(e => e.BurstId == secondId);
            Assert.Equal(4, end.FrameCount);
            Assert.Equal(EndReason.Released, end.Reason);
            Assert.True(listener.Has<BurstStart>(s => s.BurstId == firstId && s.Talker == "Alice" && s.Channel == 1));
            Assert.True(listener.Has<BurstStart>(s => s.BurstId == secondId && s.Talker == "Bob"));
            Assert.True(listener.Has<BurstEnd>(e => e.BurstId == firstId && e.FrameCount == 3));
            Assert.True(await Eventually.TrueAsync(() => listener.FramesOf(secondId).Count == 4));
            AssertPlayed(listener, firstId, first, blocksPerFrame: 2);
            AssertPlayed(listener, secondId, second, blocksPerFrame: 2);
            // In order: the second message starts after the first one ended.
            Assert.True(IndexOf(listener, m => m is BurstEnd e && e.BurstId == firstId) < IndexOf(listener, m => m is BurstStart s && s.BurstId == secondId));
        }

        await Task.Delay(200);
        foreach (var outsider in new[] { dan, eve })
        {
            Assert.False(outsider.Has<BurstStart>());
            Assert.Empty(outsider.Audio);
        }

        // Recorded like any burst, under its virtual talker (what `walkie status` lists).
        var recordings = new SqliteRecordingIndex(g.Database).Recent(10);
        var recorded = Assert.Single(recordings, r => r.BurstId == firstId);
        Assert.Equal("matrix:Alice", recorded.BadgeId);
        Assert.True(recorded.Complete);
        Assert.Equal(5 * 321 * 1000 / 8000, recorded.DurationMs);
        Assert.True(File.Exists(recorded.Path));
        Assert.Contains(new SqliteStatusStore(g.Database).RecentDecisions(20), d => d.BurstId == secondId && d.Decision == "granted" && d.BadgeId == "matrix:Bob");
    }

    [Fact]
    public async Task A_message_waits_for_the_talker_to_release_and_a_badge_pressing_during_it_is_denied()
    {
        await using var g = Family();
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");

        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 3, release: false, gapMs: 20);
        var audio = MatrixAudio.Message(40, tag: 3); // 1.6 s at 8 kHz
        var burstId = await Player(g).QueueAsync("ch1", audio, "Alice", CancellationToken.None);
        await anna.TalkAsync(grant, 3, release: false, gapMs: 20, firstSequence: 3);
        Assert.False(ben.Has<BurstStart>(s => s.BurstId == burstId)); // still Anna's floor
        await anna.TalkAsync(grant, 2, release: true, gapMs: 20, firstSequence: 6);

        await ben.WaitForAsync<BurstStart>(s => s.BurstId == burstId);
        Assert.True(IndexOf(ben, m => m is BurstEnd e && e.BurstId == grant.BurstId) < IndexOf(ben, m => m is BurstStart s && s.BurstId == burstId));

        // Paced like a badge talks: when the first frame is there, the message is far from over.
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(burstId).Count > 0));
        Assert.False(ben.Has<BurstEnd>(e => e.BurstId == burstId));
        Assert.True(ben.FramesOf(burstId).Count < 40);

        var denied = Assert.IsType<FloorDenied>(await anna.RequestFloorAsync(1));
        Assert.Equal(DenyReason.Busy, denied.Reason);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == burstId, timeoutMs: 10000);
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(burstId).Count == 40));
        AssertPlayed(ben, burstId, audio, blocksPerFrame: 1);
        AssertPlayed(anna, burstId, audio, blocksPerFrame: 1);
    }

    [Fact]
    public async Task A_standby_badge_is_woken_for_a_message()
    {
        await using var g = Family();
        await g.StartAsync();
        var ben = await g.ConnectAsync("ben");
        await ben.SendAsync(new SleepAnnouncement { Mode = SleepMode.Standby });
        await ben.SendStateAsync(BadgeStatus.Standby);
        await Task.Delay(200);

        var audio = MatrixAudio.Message(6, tag: 4);
        var burstId = await Player(g).QueueAsync("ch1", audio, "Alice", CancellationToken.None);

        var wake = await ben.WaitForAsync<Wake>();
        Assert.Equal(WakeReason.Burst, wake.Reason);
        Assert.Equal(burstId, wake.BurstId);
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == burstId);
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(burstId).Count == 6));
        Assert.True(IndexOf(ben, m => m is Wake) < IndexOf(ben, m => m is BurstStart s && s.BurstId == burstId));
        AssertPlayed(ben, burstId, audio, blocksPerFrame: 1);
    }

    [Fact]
    public async Task A_pocket_badge_finds_the_message_in_its_unplayed_queue_and_plays_it()
    {
        await using var g = Family();
        await g.StartAsync();
        var cara = await g.ConnectAsync("cara");
        await cara.SendAsync(new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 300 });
        await cara.SendStateAsync(BadgeStatus.Pocket);
        await Task.Delay(200);
        await cara.DisposeAsync();

        var audio = MatrixAudio.Message(7, tag: 5);
        var burstId = await Player(g).QueueAsync("ch1", audio, "Alice", CancellationToken.None);
        Assert.True(await Eventually.TrueAsync(() => new SqliteUnplayedStore(g.Database).List("cara").Count == 1));

        var back = await g.ConnectAsync("cara");
        var list = await back.WaitForAsync<UnplayedList>();
        var entry = Assert.Single(list.Entries);
        Assert.Equal(burstId, entry.BurstId);
        Assert.Equal("Alice", entry.Talker);
        Assert.Equal(7u * 321 * 1000 / 8000, entry.DurationMs);

        await back.SendAsync(new PlayRequest { BurstId = burstId });
        await back.WaitForAsync<BurstEnd>(e => e.BurstId == burstId);
        Assert.True(back.Has<BurstStart>(s => s.BurstId == burstId && s.Talker == "Alice"));
        var frames = back.FramesOf(burstId);
        Assert.Equal(7, frames.Count);
        Assert.Equal(audio.AdpcmBlocks, MatrixAudio.BlocksOf(frames.Select(f => f.Payload)));
        await back.SendAsync(new Played { BurstId = burstId });
        Assert.True(await Eventually.TrueAsync(() => new SqliteUnplayedStore(g.Database).List("cara").Count == 0));
    }

    [Fact]
    public async Task A_priority_badge_cuts_a_message_which_then_waits_whole_in_every_listeners_unplayed_queue()
    {
        await using var g = Family("boss");
        await g.StartAsync();
        var ben = await g.ConnectAsync("ben");
        var boss = await g.ConnectAsync("boss");

        var audio = MatrixAudio.Message(100, tag: 6); // 4 s
        var burstId = await Player(g).QueueAsync("ch1", audio, "Alice", CancellationToken.None);
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(burstId).Count >= 3));

        var grant = Assert.IsType<FloorGranted>(await boss.RequestFloorAsync(1));
        var end = await ben.WaitForAsync<BurstEnd>(e => e.BurstId == burstId);
        Assert.Equal(EndReason.Preempted, end.Reason);
        Assert.True(end.FrameCount < 100);
        await boss.TalkAsync(grant, 2);

        // The recording holds the whole message, and Ben (who heard its start) and Boss are owed it.
        var recording = Assert.Single(new SqliteRecordingIndex(g.Database).Recent(10), r => r.BurstId == burstId);
        Assert.Equal(100 * 321 * 1000 / 8000, recording.DurationMs);
        var list = await ben.WaitForAsync<UnplayedList>(l => l.Entries.Any(e => e.BurstId == burstId));
        Assert.Equal(100u * 321 * 1000 / 8000, list.Entries.Single(e => e.BurstId == burstId).DurationMs);
        Assert.Contains(new SqliteUnplayedStore(g.Database).List("boss"), r => r.BurstId == burstId);

        var before = ben.Audio.Count;
        await ben.SendAsync(new PlayRequest { BurstId = burstId });
        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == burstId && e.Reason != EndReason.Preempted || ben.Control.OfType<BurstEnd>().Count(x => x.BurstId == burstId) > 1, timeoutMs: 10000);
        Assert.True(await Eventually.TrueAsync(() => ben.Audio.Count - before == 100));
        Assert.Equal(audio.AdpcmBlocks, MatrixAudio.BlocksOf(ben.Audio.Skip(before)));
    }

    [Fact]
    public async Task A_full_queue_refuses_the_message_with_a_log_line_and_bad_audio_is_refused()
    {
        await using var g = Family();
        g.Options.MaxQueuedMessages = 1;
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 2, release: false);

        await Player(g).QueueAsync("ch1", MatrixAudio.Message(3, tag: 7), "Alice", CancellationToken.None);
        await Assert.ThrowsAsync<PlaybackQueueFullException>(async () =>
            await Player(g).QueueAsync("ch1", MatrixAudio.Message(3, tag: 8), "Bob", CancellationToken.None));
        Assert.True(g.Log.Contains("Bob", "not queued"));

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Player(g).QueueAsync("nope", MatrixAudio.Message(3, tag: 9), "Bob", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Player(g).QueueAsync("ch1", MatrixAudio.Message(3, tag: 9, sampleRate: 16000), "Bob", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Player(g).QueueAsync("ch1", new ChannelAudio(8000, [], 0), "Bob", CancellationToken.None));
        await anna.TalkAsync(grant, 1, release: true, firstSequence: 2);
    }

    [Fact]
    public async Task A_waiting_message_survives_a_restart_under_its_burst_id_which_is_never_reused()
    {
        await using var g = Family();
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 2, release: false);
        var audio = MatrixAudio.Message(6, tag: 10);
        var burstId = await Player(g).QueueAsync("ch1", audio, "Alice", CancellationToken.None);

        await anna.DisposeAsync();
        await g.Host.DisposeAsync();
        await g.StartAsync();
        var ben = await g.ConnectAsync("ben");

        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == burstId);
        Assert.True(ben.Has<BurstStart>(s => s.BurstId == burstId && s.Talker == "Alice"));
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(burstId).Count == 6));
        AssertPlayed(ben, burstId, audio, blocksPerFrame: 1);
        var next = Assert.IsType<FloorGranted>(await ben.RequestFloorAsync(1));
        Assert.True(next.BurstId > burstId, $"burst id {next.BurstId} after the queued {burstId}");
        await ben.TalkAsync(next, 1);
        Assert.Empty(Directory.GetFiles(Path.Combine(g.Directory, "recordings", "queued")));
    }

    [Fact]
    public async Task A_restored_message_waits_for_a_badge_that_reconnected_until_it_announced_itself_and_reaches_it_whole()
    {
        await using var g = Family();
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 2, release: false);
        var audio = MatrixAudio.Message(6, tag: 12);
        var burstId = await Player(g).QueueAsync("ch1", audio, "Alice", CancellationToken.None);
        await anna.DisposeAsync();
        await g.Host.DisposeAsync();
        await g.StartAsync();
        var connected = new ConnectionSeen("ben");
        using var observing = g.Host.Engine.Observers.Add(connected);

        // Ben is back on the restarted gateway's broker but has not subscribed yet (a badge subscribes, then announces):
        // what is sent to it now is lost. Another message on the channel makes the engine look for a listener for the
        // restored one after it saw Ben connect, and a refused one, handled after that look, tells the test it is over.
        await using var ben = await TestBadge.ConnectAsync(g.BadgePort, "ben", g.Secrets["ben"], subscribe: false);
        await connected.Seen.WaitAsync(TimeSpan.FromSeconds(30));
        var nextAudio = MatrixAudio.Message(3, tag: 13);
        var nextId = await Player(g).QueueAsync("ch1", nextAudio, "Bob", CancellationToken.None);
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Player(g).QueueAsync("nope", MatrixAudio.Message(3, tag: 14), "Bob", CancellationToken.None));
        await ben.SubscribeAsync(WalkieTalkie.Protocol.Topics.DownFilter("ben"));
        await ben.SendStateAsync(BadgeStatus.Idle);

        await ben.WaitForAsync<BurstEnd>(e => e.BurstId == nextId, timeoutMs: 10000);
        Assert.True(ben.Has<BurstStart>(s => s.BurstId == burstId && s.Talker == "Alice"), "the restored message's start reached Ben");
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(burstId).Count == 6 && ben.FramesOf(nextId).Count == 3));
        AssertPlayed(ben, burstId, audio, blocksPerFrame: 1);
        AssertPlayed(ben, nextId, nextAudio, blocksPerFrame: 1);
    }

    [Fact]
    public async Task A_badge_that_wakes_during_a_message_gets_it_from_its_first_frame_flagged_replay_to_its_end()
    {
        await using var g = Family();
        await g.StartAsync();
        var ben = await g.ConnectAsync("ben");
        var cara = await g.ConnectAsync("cara");
        await cara.SendAsync(new SleepAnnouncement { Mode = SleepMode.Pocket, NextCheckInSeconds = 60 });
        await Task.Delay(200);

        var audio = MatrixAudio.Message(75, tag: 11); // 3 s
        var burstId = await Player(g).QueueAsync("ch1", audio, "Alice", CancellationToken.None);
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(burstId).Count >= 10));
        Assert.False(cara.Has<BurstStart>(s => s.BurstId == burstId));
        await cara.SendStateAsync(BadgeStatus.Idle);

        await cara.WaitForAsync<BurstStart>(s => s.BurstId == burstId && s.Talker == "Alice" && (s.Flags & BurstFlags.Replay) != 0);
        await cara.WaitForAsync<BurstEnd>(e => e.BurstId == burstId, timeoutMs: 10000);
        Assert.True(await Eventually.TrueAsync(() => cara.FramesOf(burstId).Count == 75));
        var frames = cara.FramesOf(burstId);
        Assert.Equal(Enumerable.Range(0, 75).Select(i => (ushort)i), frames.Select(f => f.Sequence));
        // Ten frames late, Cara stays that far behind to the end (a badge plays in real time): none of it is live.
        Assert.All(frames, f => Assert.True((f.Flags & FrameFlags.Replay) != 0));
        Assert.Equal(audio.AdpcmBlocks, MatrixAudio.BlocksOf(frames.Select(f => f.Payload)));
        Assert.Empty(new SqliteUnplayedStore(g.Database).List("cara"));
    }

    /// <summary>Tells when the engine has taken a badge's connection (its presence is reported from the engine's loop).</summary>
    private sealed class ConnectionSeen(string badgeId) : IGatewayObserver
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        public void OnPresenceChanged(PresenceRecord presence)
        {
            if (presence.BadgeId == badgeId && presence.State != "offline")
            {
                _seen.TrySetResult();
            }
        }
    }
}
