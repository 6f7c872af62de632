using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Bridge.Channels;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Mirroring;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Bridge.State;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Storage.Sqlite.Bridge;
using Bits = WalkieTalkie.Protocol.Control.Permits;

namespace WalkieTalkie.EndToEnd.Tests.Adapters;

/// <summary>
/// The permit mirror's adapters on a real gateway database: <see cref="LinkedBadgeTable"/> reads the registry's permit
/// rows with the moments they changed and writes room changes through <see cref="SqlitePermitStore"/>; driven by a real
/// <see cref="ChannelBridge"/>, a permit from a user without the power in the room never reaches the gateway.
/// </summary>
public sealed class PermitTableAdapterTests : IDisposable
{
    private const string Room = "!room:test";
    private const string Dad = "@dad:test";
    private const string Mallory = "@mallory:test";
    private static readonly DeviceKey Kid = new("@walkie-kid:test", "WTKID");

    private readonly string _folder = Directory.CreateTempSubdirectory("wt-bridge-permits-").FullName;
    private readonly SqliteDatabase _database;
    private DateTimeOffset _now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    public PermitTableAdapterTests()
    {
        _database = new SqliteDatabase(Path.Combine(_folder, "walkie.db"));
        new SqliteBadgeStore(_database, new SecretHasher(SiteKey.LoadOrCreate(_folder))).Add("kid", "Kid");
        new SqliteChannelStore(_database).Add(1, "playground");
        new SqliteChannelStore(_database).Join(1, "kid");
        var links = SqliteStores.Bridge(_database).Links;
        links.SaveBadge(new BadgeLink("kid", Kid.UserId, Kid.DeviceId));
        links.SaveChannel("playground", Room, Dad);
    }

    private LinkedBadgeTable Table() => new(SqliteStores.Bridge(_database), NullLogger.Instance, new TestTime(() => _now));

    private sealed class TestTime(Func<DateTimeOffset> now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now();
    }

    private PermitRecord? Row() => new SqlitePermitStore(_database).List().SingleOrDefault(r => r.BadgeId == "kid" && r.Channel == 1);

    [Fact]
    public void Rows_are_the_registrys_permits_dated_when_the_bridge_first_notices_each_change()
    {
        var table = Table();
        var empty = Assert.Single(table.RowsOf("playground"));
        Assert.Equal(GatewayGrant.None with { ChangedAt = DateTimeOffset.MinValue }, empty.Grant); // nothing, never: the room wins
        Assert.Equal(Kid, empty.Device);

        new SqlitePermitStore(_database).Grant("kid", 1, Bits.Known, DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), "cli", accepted: true);
        _now += TimeSpan.FromSeconds(3);
        var granted = Assert.Single(table.RowsOf("playground"));
        Assert.Equal(new GatewayGrant(true, true, false, DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), _now), granted.Grant);
        Assert.Equal(new GatewayConsent(true, null, _now), granted.Consent);
        var grantedAt = _now;

        _now += TimeSpan.FromSeconds(5);
        Assert.Equal(granted, Assert.Single(table.RowsOf("playground"))); // unchanged rows keep their dates

        new SqlitePermitStore(_database).Withdraw("kid", 1, Bits.Known); // the badge's long press, over MQTT
        _now += TimeSpan.FromSeconds(1);
        var withdrawn = Assert.Single(Table().RowsOf("playground"));
        Assert.Equal(grantedAt, withdrawn.Grant.ChangedAt);
        Assert.Equal(new GatewayConsent(false, null, _now), withdrawn.Consent);

        Assert.True(new SqlitePermitStore(_database).Revoke("kid", 1)); // the row is deleted from permits
        Assert.Null(Row());
        _now += TimeSpan.FromSeconds(1);
        var revoked = Assert.Single(Table().RowsOf("playground"));
        Assert.Equal(new GatewayGrant(false, false, false, null, _now), revoked.Grant); // a dated revocation, not "never"
    }

    [Fact]
    public void A_room_accept_and_permit_of_one_plan_are_written_to_the_registry_and_dated_by_their_events()
    {
        var table = Table();
        var version = _database.ConfigVersion();
        var consentAt = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_500);
        var grantAt = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_700);
        // The plan gives the consent first, before anything is offered on the gateway.
        table.Apply(new ConsentChanged("kid", "playground", Kid.UserId, "$accept", new GatewayConsent(true, null, consentAt)));
        Assert.Null(Row());
        table.Apply(new GrantChanged("kid", "playground", Dad, "$permit", new GatewayGrant(true, false, false, null, grantAt)));

        var row = Row();
        Assert.NotNull(row);
        Assert.Equal(Bits.Receive, row.Offered);
        Assert.Equal(Bits.Receive, row.Accepted);
        Assert.Equal(Dad, row.OfferedBy);
        Assert.False(row.OfferSent); // the engine sends the badge its permit-offer
        Assert.True(_database.ConfigVersion() > version, "the registry's change counter did not move: the engine would not reload");
        _now += TimeSpan.FromMinutes(1);
        var seen = Assert.Single(table.RowsOf("playground"));
        Assert.Equal(grantAt, seen.Grant.ChangedAt);
        Assert.Equal(consentAt, seen.Consent.ChangedAt);

        table.Apply(new GrantChanged("kid", "playground", Dad, "$revoke", new GatewayGrant(false, false, false, null, grantAt.AddSeconds(9))));
        Assert.Null(Row());
        Assert.Equal(grantAt.AddSeconds(9), Assert.Single(table.RowsOf("playground")).Grant.ChangedAt);
    }

    [Fact]
    public async Task A_permit_from_a_user_without_the_power_is_not_applied_and_the_room_is_told_the_gateways_view()
    {
        new SqlitePermitStore(_database).Grant("kid", 1, Bits.Receive, null, "cli", accepted: true);
        var sender = new CapturingSender();
        var bridge = new ChannelBridge(new ChannelLink("playground", Room, Dad, 8000),
            new BridgePorts(new SqliteBurstFeed(_database), new MediaVoiceTranscoder(new RecordingReader(RecordingKey.Generate())), new MediaVoiceTranscoder(new RecordingReader(RecordingKey.Generate())),
                new DeviceMediaTransfer(new BadgeDevices()), sender, new RefusingPlayer(), new NoReceipts(), Table(),
                new SqliteThreadStore(_database), new SqliteBurstIndex(_database), new LoggerBridgeLog(NullLogger.Instance)),
            new RoomWalkieState(RoomPowerLevels.WithoutEvent(Dad)));

        await bridge.OnRoomStateEventAsync(State(WalkieEventTypes.PowerLevels, "", Dad, new JsonObject
        {
            ["users"] = new JsonObject { [Dad] = 100 },
            ["events"] = new JsonObject { [WalkieEventTypes.Permit] = 50, [WalkieEventTypes.Accept] = 0 },
        }, 1));
        var first = await bridge.MirrorPermitsAsync();
        Assert.Empty(first.ToApply);
        Assert.Contains(first.ToSend, e => e.Type == WalkieEventTypes.Permit && e.SendAs == Dad && e.StateKey == Kid.StateKey);
        Assert.Contains(first.ToSend, e => e.Type == WalkieEventTypes.Accept && e.SendAs == Kid.UserId);

        // Mallory (level 0) grants the kid the right to talk, later than anything the gateway did.
        var later = _now.AddHours(1).ToUnixTimeMilliseconds();
        var outcome = await bridge.OnRoomStateEventAsync(State(WalkieEventTypes.Permit, Kid.StateKey, Mallory,
            new WalkiePermit(Kid, true, true, true).ToContent(), later, "$mallory"));
        Assert.NotNull(outcome.Rejection);
        var plan = await bridge.MirrorPermitsAsync();
        Assert.Empty(plan.ToApply);
        Assert.Equal(Bits.Receive, Row()!.Offered); // no send permit on the gateway
        var repair = Assert.Single(plan.ToSend, e => e.Type == WalkieEventTypes.Permit);
        Assert.Equal(Dad, repair.SendAs);
        Assert.False(repair.Content["send"]!.GetValue<bool>());

        // The same change from Dad (level 100) is applied.
        await bridge.OnRoomStateEventAsync(State(WalkieEventTypes.Permit, Kid.StateKey, Dad,
            new WalkiePermit(Kid, true, true).ToContent(), later + 1000, "$dad"));
        var applied = await bridge.MirrorPermitsAsync();
        Assert.IsType<GrantChanged>(Assert.Single(applied.ToApply));
        Assert.Equal(Bits.Known, Row()!.Offered);
        Assert.Equal(Dad, Row()!.OfferedBy);
        Assert.Empty((await bridge.MirrorPermitsAsync()).ToApply); // and then both sides agree
    }

    [Fact]
    public void A_played_burst_is_found_in_the_recordings_or_the_bridges_index()
    {
        new SqliteRecordingIndex(_database).Start(7, 1, "kid", 1_000, "/rec/7.wav", 8000);
        new SqliteBurstIndex(_database).Save(new BurstLink(9, "kitchen", null, "$phone", []));
        var channels = new PlayedBurstChannels(SqliteStores.Bridge(_database));
        Assert.Equal("playground", channels.ChannelOf(7));
        Assert.Equal("kitchen", channels.ChannelOf(9)); // a room's voice message the gateway played
        Assert.Null(channels.ChannelOf(8));
    }

    private static RoomStateEvent State(string type, string key, string sender, JsonObject content, long ts, string? id = null) =>
        new(type, key, sender, JsonSerializer.SerializeToElement(content), ts, id ?? $"${type}-{ts}");

    private sealed class CapturingSender : IRoomSender
    {
        public List<OutboxMessage> Sent { get; } = [];

        public ValueTask EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
        {
            Sent.Add(message);
            return ValueTask.CompletedTask;
        }

        public ValueTask<string?> SentEventIdAsync(string transactionId, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
    }

    private sealed class RefusingPlayer : IBadgePlayer
    {
        public ValueTask<uint> QueueAsync(string channel, ChannelAudio audio, string talkerName, string senderUserId, string eventId,
            CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not in this test");
    }

    private sealed class NoReceipts : IReceiptSender
    {
        public ValueTask SendReadReceiptAsync(string asUser, string roomId, string eventId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not in this test");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
