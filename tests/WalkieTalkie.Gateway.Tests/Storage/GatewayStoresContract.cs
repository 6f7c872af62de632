using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Storage.Sql.Bridge;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;

namespace WalkieTalkie.Gateway.Tests.Storage;

/// <summary>
/// The gateway's stores beside the registry (recordings, unplayed queues, retention, status, zones, last talkers,
/// audit), against every storage provider: the same statements must mean the same on SQLite and PostgreSQL.
/// </summary>
public abstract class GatewayStoresContract(RegistryStores db) : IDisposable
{
    private readonly RegistryStores _db = db;

    private SqlDatabase Tables => _db.Tables;

    public void Dispose() => _db.Dispose();

    private void Family()
    {
        _db.Badges.Add("anna");
        _db.Badges.Add("ben");
        _db.Channels.Add(1, "family");
    }

    [Fact]
    public void A_recording_is_indexed_at_its_start_finished_at_its_end_and_found_by_time_and_channel()
    {
        var index = new SqlRecordingIndex(Tables);
        Assert.Equal(1u, index.NextBurstId());
        index.Start(7, 1, "anna", 1_000, "/r/7", 8000);
        index.Start(8, 2, "ben", 2_000, "/r/8", 16000, privateTo: "anna");
        Assert.Equal([7u, 8u], index.Unfinished().Select(r => r.BurstId).Order());
        index.SetLayout(7, 164, 2);
        Assert.Equal(2, index.BlocksPerFrame(7));
        Assert.Equal(1, index.BlocksPerFrame(99));
        index.Finish(7, 640, 30, 2, 164, complete: true, endReason: 1);

        var row = index.Get(7)!;
        Assert.Equal(new RecordingRecord(7, 1, "anna", 1_000, 640, 30, 2, true, "/r/7", 8000, 164, 1), row);
        Assert.Equal("anna", index.Get(8)!.PrivateTo);
        Assert.Equal([8u], index.Unfinished().Select(r => r.BurstId));
        Assert.Equal(9u, index.NextBurstId());
        Assert.Equal([8u, 7u], index.Recent(5).Select(r => r.BurstId));
        Assert.Equal([7u, 8u], index.Between(0, 3_000, null).Select(r => r.BurstId));
        Assert.Equal([8u], index.Between(0, 3_000, [2]).Select(r => r.BurstId));
        Assert.Empty(index.Between(2_001, 3_000, null));
    }

    [Fact]
    public void An_unplayed_queue_keeps_a_burst_once_lists_it_with_its_recording_and_forgets_it_when_played()
    {
        Family();
        var index = new SqlRecordingIndex(Tables);
        index.Start(3, 1, "anna", 500, "/r/3", 8000);
        index.Start(4, 1, "anna", 600, "/r/4", 8000);
        var unplayed = new SqlUnplayedStore(Tables);
        unplayed.Queue("ben", 4, 10);
        unplayed.Queue("ben", 3, 11);
        unplayed.Queue("ben", 3, 12);

        Assert.Equal([3u, 4u], unplayed.List("ben").Select(r => r.BurstId));
        Assert.True(unplayed.Contains("ben", 3));
        Assert.False(unplayed.Contains("anna", 3));
        unplayed.MarkPlayed("ben", 3);
        Assert.Equal([4u], unplayed.List("ben").Select(r => r.BurstId));
        Assert.Empty(unplayed.List("anna"));
    }

    [Fact]
    public void Retention_offers_only_finished_recordings_past_their_channels_days_and_pruning_leaves_the_row_and_empties_the_queues()
    {
        Family();
        _db.Channels.Add(2, "yard", retentionDays: 1);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var index = new SqlRecordingIndex(Tables);
        var twoDaysAgo = now.AddDays(-2).ToUnixTimeMilliseconds();
        index.Start(1, 1, "anna", twoDaysAgo, "/r/1", 8000); // family keeps 30 days
        index.Start(2, 2, "anna", twoDaysAgo, "/r/2", 8000); // yard keeps 1 day
        index.Start(3, 2, "anna", twoDaysAgo, "/r/3", 8000); // never finished
        index.Finish(1, 100, 5, 0, 164, true, 0);
        index.Finish(2, 100, 5, 0, 164, true, 0);
        new SqlUnplayedStore(Tables).Queue("ben", 2, 0);
        var retention = new SqlRecordingRetention(Tables);

        Assert.Equal([2u], retention.Expired(now, 10).Select(r => r.BurstId));
        retention.MarkPruned(2);
        Assert.Empty(retention.Expired(now, 10));
        Assert.NotNull(index.Get(2));
        Assert.DoesNotContain(index.Between(0, now.ToUnixTimeMilliseconds(), null), r => r.BurstId == 2);
        Assert.Empty(new SqlUnplayedStore(Tables).List("ben"));
    }

    [Fact]
    public async Task Retention_keeps_what_a_linked_channels_room_is_still_owed()
    {
        Family();
        _db.Channels.SetRetention(1, 1);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var index = new SqlRecordingIndex(Tables);
        new SqlMatrixLinks(Tables, index).SaveChannel("family", "!room:test", "@dad:test");
        index.Start(1, 1, "anna", now.AddDays(-2).ToUnixTimeMilliseconds(), "/r/1", 8000);
        index.Finish(1, 100, 5, 0, 164, true, 0);
        var retention = new SqlRecordingRetention(Tables);

        Assert.Empty(retention.Expired(now, 10));
        await new SqlBurstFeed(Tables).AcknowledgeAsync(new WalkieTalkie.Bridge.Outgoing.FinishedBurst("family", "anna", 1, now, 0, false, "/r/1"),
            CancellationToken.None);
        Assert.Equal([1u], retention.Expired(now, 10).Select(r => r.BurstId));
    }

    [Fact]
    public void Status_keeps_one_holder_per_channel_the_latest_decisions_first_and_each_badges_presence()
    {
        var status = new SqlStatusStore(Tables);
        status.SetHolder(1, "anna", 5, 100);
        status.SetHolder(1, "ben", 6, 200);
        status.SetHolder(2, "anna", 7, 300);
        Assert.Equal([new FloorHolderRecord(1, "ben", 6, 200), new FloorHolderRecord(2, "anna", 7, 300)], status.Holders());
        status.SetHolder(2, null, 0, 0);
        Assert.Equal([1], status.Holders().Select(h => (int)h.Channel));
        status.ClearHolders();
        Assert.Empty(status.Holders());

        status.RecordDecision(new FloorDecisionRecord(10, 1, "anna", "granted", "free", 5));
        status.RecordDecision(new FloorDecisionRecord(20, 1, "ben", "denied", "busy", 5));
        status.RecordDecision(new FloorDecisionRecord(30, 2, "ben", "granted", "preempted anna", 6));
        status.RecordDecision(new FloorDecisionRecord(40, 1, "anna", "ended", "Released", 5));
        Assert.Equal([40L, 30L], status.RecentDecisions(2).Select(d => d.AtMs));
        Assert.Equal([20L], status.Decisions(new FloorLogQuery(null, "ben", FloorKind.Denial, null, null, 0, 10)).Select(d => d.AtMs));
        Assert.Equal([30L], status.Decisions(new FloorLogQuery(null, null, FloorKind.Preemption, null, null, 0, 10)).Select(d => d.AtMs));
        Assert.Equal([40L, 10L], status.Decisions(new FloorLogQuery([1], "anna", null, null, null, 0, 10)).Select(d => d.AtMs));
        Assert.Equal([20L], status.Decisions(new FloorLogQuery(null, null, null, 15, 35, 1, 10)).Select(d => d.AtMs));

        status.SetPresence([new PresenceRecord("anna", "idle", 0, 1000, 80, -50, "1.0"), new PresenceRecord("ben", "asleep", 60, 900, 40, -70, "1.1")]);
        status.SetPresence([new PresenceRecord("anna", "talking", 0, 2000, 79, -51, "1.0")]);
        Assert.Equal([new PresenceRecord("anna", "talking", 0, 2000, 79, -51, "1.0"), new PresenceRecord("ben", "asleep", 60, 900, 40, -70, "1.1")],
            status.Presence());
    }

    [Fact]
    public void Zones_own_their_access_points_and_locations_name_the_zone_they_are_in()
    {
        Family();
        var zones = new SqlZoneStore(Tables);
        zones.Add("yard", ["AA:BB:CC:DD:EE:01", "aa:bb:cc:dd:ee:02"]);
        zones.Add("yard", ["aa:bb:cc:dd:ee:01"]);
        Assert.EndsWith("is in zone 'yard'", Assert.Throws<RegistryException>(() => zones.Add("hall", ["aa:bb:cc:dd:ee:01"])).Message);
        Assert.Equal([new ZoneAccessPoint("yard", "aa:bb:cc:dd:ee:01"), new ZoneAccessPoint("yard", "aa:bb:cc:dd:ee:02")], zones.List());

        zones.SetLocation("anna", "aa:bb:cc:dd:ee:02", -60, 100);
        zones.SetLocation("anna", "aa:bb:cc:dd:ee:02", -55, 200);
        zones.SetLocation("ben", "aa:bb:cc:dd:ee:09", -70, 150);
        Assert.Equal([new BadgeLocation("anna", "aa:bb:cc:dd:ee:02", "yard", -55, 200), new BadgeLocation("ben", "aa:bb:cc:dd:ee:09", "", -70, 150)],
            zones.Locations());
        zones.Remove("yard");
        Assert.Empty(zones.List());
        Assert.Throws<RegistryException>(() => zones.Remove("yard"));
        zones.ClearLocations();
        Assert.Empty(zones.Locations());
    }

    [Fact]
    public void The_last_talker_is_kept_per_badge_and_channel_and_only_for_badges_that_exist()
    {
        Family();
        var talkers = new SqlLastTalkerStore(Tables);
        talkers.Set("ben", 1, "anna", null, 100);
        talkers.Set("ben", 1, "@mum:test", "@mum:test", 200);
        talkers.Set("ghost", 1, "anna", null, 300);
        Assert.Equal([new LastTalkerRecord("ben", 1, "@mum:test", "@mum:test")], talkers.All());
    }

    [Fact]
    public void The_audit_trail_gives_the_latest_entries_first()
    {
        var audit = new SqlAuditStore(Tables);
        audit.Append(new AuditRecord(1, "dad", "console", "permit.grant", "anna", "ch 1"));
        audit.Append(new AuditRecord(2, "mum", "cli", "badge.add", "ben", ""));
        audit.Append(new AuditRecord(3, "dad", "console", "permit.revoke", "anna", "ch 1"));
        Assert.Equal([3L, 2L], audit.Recent(2).Select(e => e.AtMs));
        Assert.Equal(new AuditRecord(2, "mum", "cli", "badge.add", "ben", ""), audit.Recent(3)[1]);
    }
}

public sealed class SqliteGatewayStoresTests() : GatewayStoresContract(new SqliteRegistryStores());

public sealed class PostgresGatewayStoresTests(PostgresClassDatabase database)
    : GatewayStoresContract(new PostgresRegistryStores(database)), IClassFixture<PostgresClassDatabase>;
