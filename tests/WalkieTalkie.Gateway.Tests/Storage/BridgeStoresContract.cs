using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Storage.Sql.Web;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using WalkieTalkie.Gateway.Web.Accounts;

namespace WalkieTalkie.Gateway.Tests.Storage;

/// <summary>The Matrix bridge's tables and the web accounts, against every storage provider.</summary>
public abstract class BridgeStoresContract(RegistryStores db) : IDisposable
{
    private readonly RegistryStores _db = db;

    private BridgeStores Bridge => SqlStores.Bridge(_db.Tables);

    public void Dispose() => _db.Dispose();

    private static FinishedBurst Burst(uint id, string channel = "family") => new(channel, "anna", id, DateTimeOffset.FromUnixTimeMilliseconds(1000), 0, false, "/r");

    [Fact]
    public async Task A_linked_channels_finished_bursts_are_fed_from_the_link_on_in_order_until_acknowledged()
    {
        _db.Badges.Add("anna");
        _db.Channels.Add(1, "family");
        var recordings = new SqlRecordingIndex(_db.Tables);
        recordings.Start(1, 1, "anna", 100, "/r/1", 8000);
        recordings.Finish(1, 10, 1, 0, 164, true, 0);
        var link = Bridge.Links.SaveChannel("family", "!room:test", "@dad:test");
        Assert.Equal(2u, link.FirstBurstId);
        recordings.Start(2, 1, "anna", 200, "/r/2", 8000);
        Assert.Null(await Bridge.Feed.PeekAsync("family", default)); // not finished yet
        recordings.Finish(2, 10, 1, 1, 164, false, 0);
        recordings.Start(3, 1, "anna", 300, "/r/3", 8000);
        recordings.Finish(3, 10, 1, 0, 164, true, 0);

        var first = (await Bridge.Feed.PeekAsync("family", default))!;
        Assert.Equal((2u, "anna", 1, true, "/r/2"), (first.BurstId, first.BadgeId, first.FramesLost, first.Incomplete, first.RecordingPath));
        await Bridge.Feed.AcknowledgeAsync(first, default);
        await Bridge.Feed.AcknowledgeAsync(first, default);
        Assert.Equal(3u, (await Bridge.Feed.PeekAsync("family", default))!.BurstId);

        // Linking again to the same room keeps where it started; another room starts anew.
        Assert.Equal(2u, Bridge.Links.SaveChannel("family", "!room:test", "@mum:test").FirstBurstId);
        Assert.Equal(4u, Bridge.Links.SaveChannel("family", "!other:test", "@mum:test").FirstBurstId);
        Assert.Equal([new ChannelRoomLink("family", "!other:test", "@mum:test", 4)], Bridge.Links.Channels());
    }

    [Fact]
    public void Badge_links_are_replaced_per_badge_and_listed_by_channel_membership()
    {
        _db.Badges.Add("anna");
        _db.Badges.Add("ben");
        _db.Channels.Add(1, "family");
        _db.Channels.Join(1, "anna");
        var before = _db.Reader.Version();
        Bridge.Links.SaveBadge(new BadgeLink("anna", "@old:test", "OLD"));
        Bridge.Links.SaveBadge(new BadgeLink("anna", "@anna:test", "DEV1"));
        Bridge.Links.SaveBadge(new BadgeLink("ben", "@ben:test", "DEV2"));

        Assert.True(_db.Reader.Version() > before);
        Assert.Equal([new BadgeLink("anna", "@anna:test", "DEV1"), new BadgeLink("ben", "@ben:test", "DEV2")], Bridge.Links.Badges());
        Assert.Equal([new BadgeLink("anna", "@anna:test", "DEV1")], Bridge.Links.BadgesOf("family"));
    }

    [Fact]
    public void An_incoming_event_is_kept_once_in_arrival_order_until_done()
    {
        var incoming = Bridge.Incoming;
        var first = incoming.Add("$e1", "!room:test", "@mum:test", null, "m.room.message", "{\"a\":1}", 10);
        var second = incoming.Add("$e2", "!room:test", "@mum:test", "DEV", "m.room.message", "{}", 20);
        Assert.NotNull(first);
        Assert.True(second > first);
        Assert.Null(incoming.Add("$e1", "!room:test", "@mum:test", "MUMDEV", "m.room.message", "{\"a\":1}", 10));
        Assert.Equal(second, incoming.LastSeq());

        var pending = incoming.Pending(second!.Value);
        Assert.Equal(["$e1", "$e2"], pending.Select(p => p.Event.EventId));
        Assert.Equal("MUMDEV", pending[0].Event.SenderDevice);
        incoming.Postpone(first!.Value, 2, DateTimeOffset.FromUnixTimeMilliseconds(5000), "homeserver down");
        var postponed = incoming.Pending(first.Value).Single();
        Assert.Equal((2, 5000L), (postponed.Event.Attempts, postponed.NextAttemptMs));
        incoming.MarkDone(first.Value, "played");
        Assert.Equal("played", incoming.OutcomeOf("$e1"));
        Assert.Null(incoming.OutcomeOf("$e2"));
        Assert.Equal(["$e2"], incoming.Pending(second.Value).Select(p => p.Event.EventId));
        Assert.Equal(0, incoming.PruneDone());
    }

    [Fact]
    public void Threads_burst_links_outbox_entries_and_seen_permits_are_saved_replaced_and_found()
    {
        var session = new SessionState("t1", null, "t2", "$ev2", DateTimeOffset.FromUnixTimeMilliseconds(900));
        Bridge.Threads.Save("family", session with { LatestTransactionId = "t0" });
        Bridge.Threads.Save("family", session);
        Assert.Equal(session, Bridge.Threads.Load("family"));
        Bridge.Threads.Save("family", null);
        Assert.Null(Bridge.Threads.Load("family"));

        Bridge.Index.Save(new BurstLink(5, "family", "txn-5", null, ["ben"]));
        Bridge.Index.Save(new BurstLink(5, "family", "txn-5", "$ev5", ["ben", "cleo"]));
        var found = Bridge.Index.FindByEvent("$ev5")!;
        Assert.Equal((5u, "txn-5"), (found.BurstId, found.TransactionId));
        Assert.Equal(["ben", "cleo"], found.PendingReceipts);
        Assert.Equal(5u, Bridge.Index.FindByTransaction("txn-5")!.BurstId);
        Assert.Null(Bridge.Index.Find(6));

        Bridge.OutboxMap.Save("txn-5", "@anna:test", 41);
        Bridge.OutboxMap.Save("txn-5", "@anna:test", 42);
        Assert.Equal(("@anna:test", 41L), Bridge.OutboxMap.Find("txn-5"));
        Assert.Equal("txn-5", Bridge.OutboxMap.TransactionOf("@anna:test", 41));
        Assert.Null(Bridge.OutboxMap.TransactionOf("@anna:test", 42));

        var seen = Bridge.PermitTimes.Observe("anna", "family", 3, 0, 0, 100);
        Assert.Equal(new SeenPermit(3, 0, 0, 100, 0), seen);
        Assert.Equal(new SeenPermit(3, 1, 0, 100, 200), Bridge.PermitTimes.Observe("anna", "family", 3, 1, 0, 200));
        Assert.Equal(new SeenPermit(3, 1, 0, 100, 200), Bridge.PermitTimes.Find("anna", "family"));
    }

    [Fact]
    public void Direct_rooms_and_replies_to_matrix_users_are_kept_until_sent()
    {
        _db.Badges.Add("anna");
        _db.Channels.Add(1, "family");
        Bridge.DirectRooms.Save(new DirectRoom("anna", "@mum:test", "!dm1:test", 1));
        Bridge.DirectRooms.Save(new DirectRoom("anna", "@mum:test", "!dm2:test", 1));
        Assert.Equal([new DirectRoom("anna", "@mum:test", "!dm2:test", 1)], Bridge.DirectRooms.All());
        Assert.Equal("@mum:test", Bridge.DirectRooms.FindByRoom("!dm2:test")!.UserId);
        Assert.Null(Bridge.DirectRooms.Find("anna", "@dad:test"));

        var recordings = new SqlRecordingIndex(_db.Tables);
        recordings.Start(1, 1, "anna", 100, "/r/1", 8000, privateTo: "@mum:test");
        recordings.Start(2, 1, "anna", 200, "/r/2", 8000, privateTo: "ben");
        recordings.Finish(1, 10, 1, 0, 164, true, 0);
        recordings.Finish(2, 10, 1, 0, 164, true, 0);
        var reply = Bridge.DirectReplies.Peek()!;
        Assert.Equal((1u, "family", (byte)1, "@mum:test"), (reply.Burst.BurstId, reply.Burst.Channel, reply.ChannelNumber, reply.UserId));
        Bridge.DirectReplies.Acknowledge(reply);
        Assert.Null(Bridge.DirectReplies.Peek());
    }

    [Fact]
    public void Engine_reports_handed_over_are_read_in_the_order_written_with_their_values_up_to_a_limit_per_kind_until_removed()
    {
        var reports = Bridge.EngineReports;
        Assert.Empty(reports.Pending(10));
        var opened = new EngineReport(0, EngineReportKinds.EmergencyOpened, "anna", "yard", 42, 1_700_000_000_123, "b");
        reports.Add(opened);
        reports.Add(new EngineReport(0, EngineReportKinds.Played, "ben", "", 7, 1_700_000_000_200, "c"));
        reports.Add(new EngineReport(0, EngineReportKinds.Played, "ben", "", uint.MaxValue, 1_700_000_000_300, "c"));
        reports.Add(new EngineReport(0, EngineReportKinds.EmergencyClosed, "anna", "badge", 0, 1_700_000_000_456, "b"));

        var pending = reports.Pending(10);
        Assert.Equal([EngineReportKinds.EmergencyOpened, EngineReportKinds.Played, EngineReportKinds.Played, EngineReportKinds.EmergencyClosed],
            pending.Select(r => r.Kind));
        Assert.True(pending[0].Id < pending[1].Id && pending[1].Id < pending[2].Id && pending[2].Id < pending[3].Id);
        Assert.Equal(opened, pending[0] with { Id = 0 });
        Assert.Equal(uint.MaxValue, (uint)pending[2].Number);
        // The limit is per kind: many reports of one kind never keep another's from being read.
        Assert.Equal([pending[0], pending[1], pending[3]], reports.Pending(1));

        reports.Remove(pending[0].Id);
        reports.Remove(pending[0].Id);
        Assert.Equal([pending[1], pending[2], pending[3]], reports.Pending(10));
    }

    [Fact]
    public void A_web_account_takes_a_badge_id_keeps_its_password_hash_and_goes_with_its_device()
    {
        _db.Badges.Add("anna");
        _db.Channels.Add(1, "family");
        var users = new SqlWebUserStore(_db.Tables);
        users.Add("dad", "first password", WebRoles.Admin);
        Assert.Equal("'anna' is taken by a badge or user", Assert.Throws<RegistryException>(() => users.Add("anna", "pw", WebRoles.Member)).Message);
        Assert.Throws<RegistryException>(() => users.Add("dad", "pw", WebRoles.Member));
        users.SetPassword("dad", "second password");
        var dad = users.Find("dad")!;
        Assert.Equal(WebRoles.Admin, dad.Role);
        Assert.True(WebPasswords.Verify(dad.PasswordHash, "second password"));
        Assert.Contains(_db.Badges.List(), b => b.Id == "dad" && b.SecretHash == WebDeviceRows.NoBadgeSecret);

        var devices = new SqlWebDeviceStore(_db.Tables);
        var phone = devices.EnsureMatrixDevice("@mum:test", "PHONE", "Mum's phone", 1);
        Assert.Equal(phone, devices.EnsureMatrixDevice("@mum:test", "PHONE", "Mum's phone", 1));
        Assert.Equal([phone], devices.MatrixDevicesOf(1));
        Assert.Equal("no channel 9", Assert.Throws<RegistryException>(() => devices.EnsureMatrixDevice("@mum:test", "TABLET", "Tablet", 9)).Message);
        Assert.Equal(["dad", phone.Id], devices.List().Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Equal([new BadgeLink(phone.Id, "@mum:test", "PHONE")], Bridge.Links.PersonalDevicesOf("family"));

        users.Remove("dad");
        Assert.Null(users.Find("dad"));
        Assert.DoesNotContain(_db.Badges.List(), b => b.Id == "dad");
        Assert.Equal([phone.Id], devices.List().Select(d => d.Id));
    }
}

public sealed class SqliteBridgeStoresTests() : BridgeStoresContract(new SqliteRegistryStores());

public sealed class PostgresBridgeStoresTests(PostgresClassDatabase database)
    : BridgeStoresContract(new PostgresRegistryStores(database)), IClassFixture<PostgresClassDatabase>;
