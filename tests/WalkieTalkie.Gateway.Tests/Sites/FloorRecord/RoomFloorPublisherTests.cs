using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Sites.Discovery;
using WalkieTalkie.Gateway.Sites.FloorRecord;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Sites.FloorRecord;

/// <summary>What the publisher writes into a room for the bursts the engine reports, and what it does when the homeserver fails.</summary>
public sealed class RoomFloorPublisherTests : IDisposable
{
    private const string Room = "!yard:test.local";
    private const int TalkLimitSeconds = 20;

    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private readonly TempDatabase _db = new();
    private readonly RecordingSiteMatrix _matrix = new();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _stop.Cancel();
        _db.Dispose();
    }

    [Fact]
    public async Task A_badge_granted_in_a_shared_room_is_claimed_with_its_Matrix_device_and_released_when_its_burst_ends()
    {
        var publisher = StartPublisher(shared: true);
        publisher.OnBurstStarted(Burst(7, Talker.Badge("anna")));
        Assert.True(await Eventually.TrueAsync(() => _matrix.Sent.Count == 1, 10_000));
        publisher.OnBurstEnded(Burst(7, Talker.Badge("anna")), EndReason.Released);
        publisher.OnBurstStarted(Burst(8, Talker.Badge("bert")));

        Assert.True(await Eventually.TrueAsync(() => _matrix.Sent.Count == 3, 10_000));
        var (claim, release, other) = (_matrix.Sent[0], _matrix.Sent[1], _matrix.Sent[2]);
        Assert.Equal(
            $$"""{"gateway_id":"gw-a","burst_id":7,"talker":"anna","lease_until_ts":{{(Start + TimeSpan.FromSeconds(TalkLimitSeconds)).ToUnixTimeMilliseconds()}},"user_id":"@anna:test.local","device_id":"ANNA"}""",
            claim.ToJsonString());
        Assert.True(release["released_ts"]!.GetValue<long>() > 0);
        release.Remove("released_ts");
        Assert.Equal(claim.ToJsonString(), release.ToJsonString());
        Assert.Equal("bert", other["talker"]!.GetValue<string>());
        Assert.False(other.ContainsKey("user_id"));
    }

    [Fact]
    public async Task A_room_served_alone_voice_messages_and_bursts_of_other_sites_are_not_claimed()
    {
        var alone = StartPublisher(shared: false);
        alone.OnBurstStarted(Burst(1, Talker.Badge("anna")));
        var shared = StartPublisher(shared: true);
        shared.OnBurstStarted(Burst(2, Talker.Matrix("Phone", "@phone:test.local")));
        shared.OnBurstStarted(Burst(3, Talker.Remote("gw-b", "Bert")));
        shared.OnBurstStarted(Burst(4, Talker.Badge("anna")));

        Assert.True(await Eventually.TrueAsync(() => _matrix.Sent.Count == 1, 10_000));
        await Task.Delay(300);
        Assert.Equal(4u, Assert.Single(_matrix.Sent)["burst_id"]!.GetValue<uint>());
    }

    [Fact]
    public async Task A_claim_that_fails_is_dropped_with_its_release_and_later_ones_go_out()
    {
        var publisher = StartPublisher(shared: true);
        _matrix.FailNext = 1;
        publisher.OnBurstStarted(Burst(1, Talker.Badge("anna")));
        Assert.True(await Eventually.TrueAsync(() => _matrix.Attempts == 1, 10_000));
        publisher.OnBurstEnded(Burst(1, Talker.Badge("anna")), EndReason.Released);
        publisher.OnBurstStarted(Burst(2, Talker.Badge("anna")));

        Assert.True(await Eventually.TrueAsync(() => _matrix.Sent.Count == 1, 10_000));
        await Task.Delay(300);
        Assert.Equal(2u, Assert.Single(_matrix.Sent)["burst_id"]!.GetValue<uint>());
        Assert.Equal(2, _matrix.Attempts);
    }

    [Fact]
    public async Task A_claim_whose_burst_ended_while_the_homeserver_was_slow_is_not_sent()
    {
        var publisher = StartPublisher(shared: true);
        var homeserver = new TaskCompletionSource();
        _matrix.Answer = homeserver.Task;
        publisher.OnBurstStarted(Burst(1, Talker.Badge("anna")));
        Assert.True(await Eventually.TrueAsync(() => _matrix.Attempts == 1, 10_000));
        publisher.OnBurstStarted(Burst(2, Talker.Badge("bert")));
        publisher.OnBurstEnded(Burst(2, Talker.Badge("bert")), EndReason.Released);
        homeserver.SetResult();

        Assert.True(await Eventually.TrueAsync(() => _matrix.Sent.Count == 1, 10_000));
        await Task.Delay(300);
        Assert.Equal(1u, Assert.Single(_matrix.Sent)["burst_id"]!.GetValue<uint>());
    }

    [Fact]
    public async Task A_release_that_fails_is_tried_again_until_it_is_sent()
    {
        var publisher = StartPublisher(shared: true);
        publisher.OnBurstStarted(Burst(1, Talker.Badge("anna"), DateTimeOffset.UtcNow));
        Assert.True(await Eventually.TrueAsync(() => _matrix.Sent.Count == 1, 10_000));
        _matrix.FailNext = 2;
        publisher.OnBurstEnded(Burst(1, Talker.Badge("anna")), EndReason.Collision);

        Assert.True(await Eventually.TrueAsync(() => _matrix.Sent.Count == 2, 10_000));
        Assert.True(_matrix.Sent[1].ContainsKey("released_ts"));
        Assert.Equal(4, _matrix.Attempts);
    }

    private static BurstInfo Burst(uint burstId, Talker talker, DateTimeOffset? startedAt = null) => new(1, burstId, talker, startedAt ?? Start, 8000, false);

    private RoomFloorPublisher StartPublisher(bool shared)
    {
        var gateways = new RoomGateways();
        gateways.SetRooms([new SiteRoom(Room, 1, "@granter-a:test.local")]);
        gateways.SetAnnounced(Room, shared ? [Announced("gw-a", "@granter-a:test.local"), Announced("gw-b", "@granter-b:test.local")] : [Announced("gw-a", "@granter-a:test.local")]);
        var registry = new CurrentRegistry();
        registry.Set(new RegistrySnapshot(1, [], [new ChannelRecord(1, "yard", 8000, TalkLimitSeconds)], [], []));
        var stores = SqliteStores.Bridge(_db.Database);
        stores.Links.SaveBadge(new BadgeLink("anna", "@anna:test.local", "ANNA"));
        var identity = new GatewayIdentity(Options.Create(new GatewayOptions { DataDirectory = _db.Directory }), Options.Create(new SiteOptions { GatewayId = "gw-a" }));
        var publisher = new RoomFloorPublisher(_matrix, gateways, identity, registry, stores, TimeProvider.System, NullLogger<RoomFloorPublisher>.Instance);
        _ = publisher.RunAsync(_stop.Token);
        return publisher;
    }

    private static AnnouncedGateway Announced(string id, string sender) => new(Room, sender, new GatewayAnnouncement(id, $"ws://127.0.0.1:1/{id}", ""));

    /// <summary>Keeps the floor events sent, in order, and fails the next <see cref="FailNext"/> sends.</summary>
    private sealed class RecordingSiteMatrix : ISiteMatrix
    {
        private readonly object _gate = new();
        private readonly List<JsonObject> _sent = [];

        public int FailNext { get; set; }

        public int Attempts { get; private set; }

        /// <summary>What each send waits for before it is taken (a slow homeserver).</summary>
        public Task Answer { get; set; } = Task.CompletedTask;

        public IReadOnlyList<JsonObject> Sent
        {
            get
            {
                lock (_gate)
                {
                    return _sent.ToArray();
                }
            }
        }

        public async Task SendFloorAsync(SiteRoom room, JsonObject content, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                Attempts++;
            }

            await Answer;
            lock (_gate)
            {
                if (FailNext > 0)
                {
                    FailNext--;
                    throw new HttpRequestException("the homeserver is away");
                }

                Assert.Equal(Room, room.RoomId);
                _sent.Add(JsonNode.Parse(content.ToJsonString())!.AsObject());
            }
        }

        public IReadOnlyList<SiteRoom> LinkedRooms() => throw new NotSupportedException();

        public Task AnnounceAsync(SiteRoom room, GatewayAnnouncement announcement, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task WithdrawAsync(string roomId, string granterUserId, string gatewayId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<AnnouncedGateway>> ReadAsync(SiteRoom room, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<RoomFloorBatch> ReadFloorAsync(string granterUserId, IReadOnlyCollection<string> roomIds, string? since, TimeSpan timeout,
            CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<OpenIdToken> RequestOpenIdTokenAsync(string granterUserId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
