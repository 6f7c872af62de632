using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;

namespace WalkieTalkie.EndToEnd.Tests.Adapters;

/// <summary>The bridge's ports on the gateway database: the burst feed, the thread store and the burst index.</summary>
public sealed class GatewayStoreAdapterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wt-bridge-store-").FullName;
    private string DatabasePath => Path.Combine(_folder, "walkie.db");

    private SqliteDatabase Open() => new(DatabasePath);

    private static void Record(SqliteDatabase database, uint id, byte channel, bool finish, long startedAtMs = 1_000)
    {
        var recordings = new SqliteRecordingIndex(database);
        recordings.Start(id, channel, "kid", startedAtMs, $"/rec/{id}.wav", 8000);
        if (finish)
        {
            recordings.Finish(id, 1000, 25, 1, 164, complete: id % 2 == 0, endReason: 0);
        }
    }

    [Fact]
    public async Task The_feed_gives_a_linked_channels_finished_bursts_oldest_first_until_acknowledged_across_a_reopen()
    {
        var database = Open();
        var channels = new SqliteChannelStore(database);
        channels.Add(1, "playground");
        channels.Add(2, "kitchen");
        Record(database, 1, 1, finish: true); // before the link: never bridged
        SqliteStores.Bridge(database).Links.SaveChannel("playground", "!room:test", "@dad:test");
        Record(database, 2, 1, finish: true, startedAtMs: 5_000);
        Record(database, 3, 2, finish: true); // another channel
        Record(database, 4, 1, finish: false); // still being recorded
        Record(database, 5, 1, finish: true);

        var feed = new SqliteBurstFeed(database);
        var first = await feed.PeekAsync("playground", default);
        Assert.NotNull(first);
        Assert.Equal(2u, first.BurstId);
        Assert.Equal("kid", first.BadgeId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(5_000), first.StartedAt);
        Assert.Equal("/rec/2.wav", first.RecordingPath);
        Assert.Equal(1, first.FramesLost);
        Assert.False(first.Incomplete);
        Assert.Equal(2u, (await feed.PeekAsync("playground", default))!.BurstId); // redelivered until acknowledged

        await feed.AcknowledgeAsync(first, default);
        await feed.AcknowledgeAsync(first, default); // twice is harmless
        var reopened = new SqliteBurstFeed(Open());
        var second = await reopened.PeekAsync("playground", default);
        Assert.Equal(5u, second!.BurstId);
        Assert.True(second.Incomplete);
        await reopened.AcknowledgeAsync(second, default);
        Assert.Null(await reopened.PeekAsync("playground", default));
        Assert.Null(await reopened.PeekAsync("kitchen", default)); // not linked

        new SqliteRecordingIndex(database).Finish(4, 500, 10, 0, 164, complete: true, endReason: 0);
        Assert.Equal(4u, (await reopened.PeekAsync("playground", default))!.BurstId);
    }

    [Fact]
    public async Task The_feed_never_offers_a_voice_message_that_came_from_the_room()
    {
        var database = Open();
        new SqliteChannelStore(database).Add(1, "playground");
        SqliteStores.Bridge(database).Links.SaveChannel("playground", "!room:test", "@dad:test");
        var recordings = new SqliteRecordingIndex(database);
        recordings.Start(1, 1, WalkieTalkie.Gateway.Bursts.Talker.Matrix("@dad:test").Key, 1_000, "/rec/1.wav", 8000);
        recordings.Finish(1, 1000, 25, 0, 164, complete: true, endReason: 0);
        Record(database, 2, 1, finish: true);

        var feed = new SqliteBurstFeed(database);
        Assert.Equal(2u, (await feed.PeekAsync("playground", default))!.BurstId);
    }

    [Fact]
    public async Task The_feed_never_offers_a_private_reply()
    {
        var database = Open();
        new SqliteChannelStore(database).Add(1, "playground");
        SqliteStores.Bridge(database).Links.SaveChannel("playground", "!room:test", "@dad:test");
        var recordings = new SqliteRecordingIndex(database);
        recordings.Start(1, 1, "kid", 1_000, "/rec/1.wav", 8000, privateTo: "mum");
        recordings.Finish(1, 1000, 25, 0, 164, complete: true, endReason: 0);
        Record(database, 2, 1, finish: true);

        Assert.Equal("mum", recordings.Get(1)!.PrivateTo);
        Assert.Equal("", recordings.Get(2)!.PrivateTo);
        var feed = new SqliteBurstFeed(database);
        Assert.Equal(2u, (await feed.PeekAsync("playground", default))!.BurstId);
    }

    [Fact]
    public void The_thread_store_keeps_a_session_per_channel_and_clears_it()
    {
        var store = new SqliteThreadStore(Open());
        Assert.Null(store.Load("playground"));
        var session = new SessionState("wt-burst-a", null, "wt-burst-b", "$b", DateTimeOffset.FromUnixTimeMilliseconds(123_456));
        store.Save("playground", session);
        store.Save("kitchen", session with { RootEventId = "$a" });
        Assert.Equal(session, new SqliteThreadStore(Open()).Load("playground"));
        Assert.Equal("$a", store.Load("kitchen")!.RootEventId);
        store.Save("playground", null);
        Assert.Null(store.Load("playground"));
        Assert.NotNull(store.Load("kitchen"));
    }

    [Fact]
    public void The_burst_index_finds_links_by_burst_transaction_and_event_and_keeps_pending_receipts()
    {
        var index = new SqliteBurstIndex(Open());
        Assert.Null(index.Find(7));
        index.Save(new BurstLink(7, "playground", "wt-burst-7", null, ["kid", "mum"]));
        index.Save(new BurstLink(8, "playground", null, "$from-phone", []));
        var reopened = new SqliteBurstIndex(Open());
        var seven = reopened.FindByTransaction("wt-burst-7")!;
        Assert.Equal(7u, seven.BurstId);
        Assert.Null(seven.EventId);
        Assert.Equal(["kid", "mum"], seven.PendingReceipts);
        Assert.Equal(8u, reopened.FindByEvent("$from-phone")!.BurstId);
        reopened.Save(seven with { EventId = "$sent", PendingReceipts = [] });
        Assert.Empty(index.Find(7)!.PendingReceipts);
        Assert.Equal(7u, index.FindByEvent("$sent")!.BurstId);
        Assert.Null(index.FindByTransaction("nope"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
