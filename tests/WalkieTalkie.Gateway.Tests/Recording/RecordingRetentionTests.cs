using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Recording;

/// <summary>
/// Retention: each channel keeps its recordings its own number of days (30 unless set, 0 for good), and a burst the
/// Matrix bridge still owes its room is never deleted, however old, until the bridge has delivered it.
/// </summary>
public sealed class RecordingRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly RecordingKey _key = RecordingKey.Generate();
    private readonly SqliteRecordingIndex _index;

    public RecordingRetentionTests()
    {
        _index = new SqliteRecordingIndex(_db.Database);
        _db.Badges.Add("anna", "Anna");
        _db.Channels.Add(1, "family");
        _db.Channels.Add(2, "school", retentionDays: 7);
        _db.Channels.Add(3, "archive", retentionDays: 0);
        _db.Channels.Join(1, "anna");
    }

    public void Dispose() => _db.Dispose();

    private RecordingRetention Retention => new(new SqliteRecordingRetention(_db.Database), _clock, NullLogger<RecordingRetention>.Instance);

    /// <summary>A finished (or, with <paramref name="finish"/> false, still open) sealed recording started <paramref name="age"/> ago.</summary>
    private string Record(uint burstId, byte channel, TimeSpan age, string talker = "anna", bool finish = true)
    {
        var path = Path.Combine(_db.Directory, "recordings", $"ch{channel}", $"{burstId:D8}{RecordingFormat.Extension}");
        if (finish)
        {
            Recordings.AddFinished(_index, _key, burstId, channel, talker, Now - age, path, new byte[164]);
        }
        else
        {
            _index.Start(burstId, channel, talker, (Now - age).ToUnixTimeMilliseconds(), path, 8000);
            RecordingFileWriter.WriteFile(path, _key, 8000, 164, new byte[164]);
        }

        return path;
    }

    private static TimeSpan Days(double days) => TimeSpan.FromDays(days);

    [Fact]
    public void Each_channel_keeps_its_recordings_its_own_number_of_days()
    {
        var family31 = Record(1, 1, Days(31));
        var family29 = Record(2, 1, Days(29));
        var school8 = Record(3, 2, Days(8));
        var school6 = Record(4, 2, Days(6));
        var archive = Record(5, 3, Days(4000));
        var open = Record(6, 1, Days(90), finish: false); // recovery still needs it
        var unplayed = new SqliteUnplayedStore(_db.Database);
        unplayed.Queue("anna", 1, 0);
        unplayed.Queue("anna", 2, 0);

        Assert.Equal(2, Retention.PruneAll());
        Assert.False(File.Exists(family31));
        Assert.False(File.Exists(school8));
        Assert.All(new[] { family29, school6, archive, open }, p => Assert.True(File.Exists(p), p));
        Assert.NotNull(_index.Get(1)); // the row stays: burst ids are never reused
        Assert.Equal([2u], unplayed.List("anna").Select(r => r.BurstId));
        Assert.Equal(0, Retention.PruneAll());

        _clock.Advance(Days(2));
        Assert.Equal(2, Retention.PruneAll());
        Assert.False(File.Exists(family29));
        Assert.False(File.Exists(school6));
        Assert.True(File.Exists(archive));
        Assert.True(File.Exists(open));
        Assert.Empty(unplayed.List("anna"));
    }

    [Fact]
    public void A_changed_retention_applies_to_recordings_already_made()
    {
        var path = Record(1, 1, Days(10));
        Assert.Equal(0, Retention.PruneAll());
        Assert.Equal(ChannelRecord.DefaultRetentionDays, _db.Snapshot().Channel(1)!.RetentionDays);
        _db.Channels.SetRetention(1, 9);
        Assert.Equal(9, _db.Snapshot().Channel(1)!.RetentionDays);
        Assert.Equal(1, Retention.PruneAll());
        Assert.False(File.Exists(path));

        Assert.Throws<RegistryException>(() => _db.Channels.SetRetention(1, -1));
        Assert.Throws<RegistryException>(() => _db.Channels.SetRetention(1, ChannelRecord.MaxRetentionDays + 1));
        Assert.Throws<RegistryException>(() => _db.Channels.SetRetention(9, 7));
        Assert.Throws<RegistryException>(() => _db.Channels.Add(4, "long", retentionDays: -3));
        Assert.Equal(9, _db.Snapshot().Channel(1)!.RetentionDays);
        Assert.Null(_db.Snapshot().Channel(4));
    }

    [Fact]
    public async Task A_burst_the_bridge_has_not_delivered_is_kept_however_old_and_goes_once_delivered()
    {
        var beforeLink = Record(1, 1, Days(200)); // the bridge never sends what was recorded before the link
        var links = new SqliteMatrixLinks(_db.Database, _index);
        links.SaveChannel("family", "!room:example.org", "@granter:example.org");
        var owed = Record(2, 1, Days(200));
        var owedToo = Record(3, 1, Days(100));
        var fromRoom = Record(4, 1, Days(100), talker: Talker.MatrixPrefix + "@dad:example.org"); // came from the room: not owed to it
        var otherChannel = Record(5, 2, Days(100));

        Assert.Equal(3, Retention.PruneAll());
        Assert.False(File.Exists(beforeLink));
        Assert.False(File.Exists(fromRoom));
        Assert.False(File.Exists(otherChannel));
        Assert.True(File.Exists(owed));
        Assert.True(File.Exists(owedToo));

        // The bridge still gets the oldest owed burst, and its recording still reads.
        var feed = new SqliteBurstFeed(_db.Database);
        var next = await feed.PeekAsync("family", CancellationToken.None);
        Assert.Equal(2u, next!.BurstId);
        Assert.True(new RecordingReader(_key).Read(next.RecordingPath).Finished);

        await feed.AcknowledgeAsync(next, CancellationToken.None);
        Assert.Equal(1, Retention.PruneAll());
        Assert.False(File.Exists(owed));
        Assert.True(File.Exists(owedToo));
        Assert.Equal(3u, (await feed.PeekAsync("family", CancellationToken.None))!.BurstId);
    }

    [Fact]
    public void A_private_reply_between_badges_goes_at_its_time_and_one_to_a_phone_waits_until_the_bridge_sent_it()
    {
        new SqliteMatrixLinks(_db.Database, _index).SaveChannel("family", "!room:example.org", "@granter:example.org");
        var betweenBadges = RecordPrivate(1, "ben", Days(40));
        var toPhone = RecordPrivate(2, "@dad:example.org", Days(40));

        Assert.Equal(1, Retention.PruneAll());
        Assert.False(File.Exists(betweenBadges)); // never owed to the room: kept no longer than the channel's days
        Assert.True(File.Exists(toPhone));

        var feed = new SqliteDirectReplyFeed(_db.Database);
        var reply = feed.Peek();
        Assert.Equal(2u, reply!.Burst.BurstId);
        feed.Acknowledge(reply);
        Assert.Equal(1, Retention.PruneAll());
        Assert.False(File.Exists(toPhone));
    }

    private string RecordPrivate(uint burstId, string privateTo, TimeSpan age)
    {
        var path = Path.Combine(_db.Directory, "recordings", "ch1", $"{burstId:D8}{RecordingFormat.Extension}");
        _index.Start(burstId, 1, "anna", (Now - age).ToUnixTimeMilliseconds(), path, 8000, privateTo);
        RecordingFileWriter.WriteFile(path, _key, 8000, 164, new byte[164]);
        _index.Finish(burstId, 20, 1, 0, 164, complete: true, endReason: 0);
        return path;
    }

    [Fact]
    public void Many_expired_recordings_go_a_batch_at_a_time()
    {
        const int Count = RecordingRetention.Batch * 2 + 17;
        for (uint id = 1; id <= Count; id++)
        {
            Record(id, 1, Days(40));
        }

        Assert.Equal(RecordingRetention.Batch, Retention.PruneBatch());
        Assert.Equal(Count - RecordingRetention.Batch, Retention.PruneAll());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_db.Directory, "recordings"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_database_of_an_earlier_version_gets_the_default_retention()
    {
        var folder = Directory.CreateTempSubdirectory("wt-old-db-").FullName;
        try
        {
            var path = Path.Combine(folder, "walkie.db");
            using (var old = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
            {
                old.Open();
                using var create = old.CreateCommand();
                create.CommandText = """
                    CREATE TABLE channels (number INTEGER PRIMARY KEY, name TEXT NOT NULL, sample_rate INTEGER NOT NULL, max_talk_seconds INTEGER NOT NULL);
                    INSERT INTO channels VALUES (1, 'family', 8000, 30);
                    CREATE TABLE recordings (
                        burst_id INTEGER PRIMARY KEY, channel INTEGER NOT NULL, badge_id TEXT NOT NULL, started_at_ms INTEGER NOT NULL,
                        duration_ms INTEGER NOT NULL DEFAULT 0, frames_received INTEGER NOT NULL DEFAULT 0,
                        frames_lost INTEGER NOT NULL DEFAULT 0, complete INTEGER NOT NULL DEFAULT 0, path TEXT NOT NULL,
                        sample_rate INTEGER NOT NULL, block_bytes INTEGER NOT NULL DEFAULT 0, blocks_per_frame INTEGER NOT NULL DEFAULT 1,
                        end_reason INTEGER NOT NULL DEFAULT 0, finished INTEGER NOT NULL DEFAULT 0);
                    """;
                create.ExecuteNonQuery();
            }

            var database = new SqliteDatabase(path);
            Assert.Equal(ChannelRecord.DefaultRetentionDays, Assert.Single(new SqliteChannelStore(database).List()).RetentionDays);
            var index = new SqliteRecordingIndex(database);
            var file = Path.Combine(folder, "old" + RecordingFormat.Extension);
            Recordings.AddFinished(index, _key, 1, 1, "anna", Now - Days(31), file, new byte[164]);
            Assert.Equal(1, new RecordingRetention(new SqliteRecordingRetention(database), _clock, NullLogger<RecordingRetention>.Instance).PruneAll());
            Assert.False(File.Exists(file));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, true);
        }
    }
}
