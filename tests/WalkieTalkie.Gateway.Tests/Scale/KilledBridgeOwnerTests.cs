using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Storage.Sql;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using WalkieTalkie.Gateway.Tests.Support.Scale;
using WalkieTalkie.Interop;
using WalkieTalkie.Protocol.Control;
using Xunit.Abstractions;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>
/// Issue 15's "Done when" for a killed owner, end to end with the Matrix bridge on: two <c>walkie run</c> gateways on
/// one Mosquitto and one PostgreSQL, recordings and the bridge's files (sessions, key stores, outbox) on folders both
/// see, the test homeserver, and a matrix-js-sdk phone in the Megolm-encrypted room. The owner, which runs the bridge
/// and has already sent a voice message from Alice's device, is killed with SIGKILL mid-burst: the other gateway owns
/// the channel within 5 s, serves the next burst, recovers the cut burst (incomplete), and posts it and the next one
/// from the same device, each once, in order, decryptable by the phone.
/// </summary>
public sealed class KilledBridgeOwnerTests(PostgresClassDatabase database, ITestOutputHelper output) : IClassFixture<PostgresClassDatabase>
{
    [Fact]
    public async Task Kill_9_of_the_owner_mid_burst_with_the_bridge_on_posts_the_cut_burst_and_the_next_once_each_decryptable()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        using var tables = database.Fresh();
        using var site = new SharedSite(tables, database.ConnectionString);
        site.AddBadge("alice");
        site.AddBadge("bob");
        site.AddChannel(1, "alice", "bob");

        await using var homeserver = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        await using var phone = await JsPeer.StartAsync("phone", output.WriteLine, cancellationToken: ct);
        await phone.RegisterAsync(homeserver.BaseUrl, "dad", "dad-password", cancellationToken: ct);
        // Cross-signed, as a phone's own device is: the badges' devices share room keys with signed devices only.
        await phone.StartClientAsync(DeviceIsolation.OnlySignedDevices, cancellationToken: ct);
        Assert.True(await phone.BootstrapCrossSigningAsync(password: "dad-password", cancellationToken: ct), "cross-signing is not ready on the phone");
        var matrix = new MatrixBridgeOptions { Homeserver = homeserver.BaseUrl.ToString(), StoreKeyFile = site.StoreKeyFile, Directory = site.MatrixDirectory };
        var stores = SqlStores.Bridge(tables);
        var alicesAccount = await BadgeLinker.LinkAsync(stores, matrix, site.Folder, "alice", "walkie-alice", "alice-badge-password", register: true,
            NullLogger.Instance, ct);
        var roomId = await phone.CreateRoomAsync("Warehouse", [alicesAccount.UserId], encrypted: true, cancellationToken: ct);
        stores.Links.SaveChannel("ch1", roomId, "@dad:" + homeserver.ServerName);

        string[] bridge =
        [
            $"--Matrix:Homeserver={homeserver.BaseUrl}", $"--Matrix:Directory={site.MatrixDirectory}", "--Matrix:SyncTimeout=00:00:02",
            "--Matrix:HomeserverRetryMaxSeconds=1",
        ];
        await using var broker = await MosquittoBroker.StartAsync(site.Secrets);
        await using var a = await site.StartGatewayAsync("gateway-a", broker.Port, MosquittoBroker.GatewayUser, broker.GatewayPassword, bridge);
        Assert.True(await Eventually.TrueAsync(() => site.LeaseOwner(1) == "gateway-a", 30_000), string.Join("\n", a.Output));
        await using var b = await site.StartGatewayAsync("gateway-b", broker.Port, MosquittoBroker.GatewayUser, broker.GatewayPassword, bridge);
        await using var alice = await site.ConnectBadgeAsync(broker.Port, "alice");
        await using var bob = await site.ConnectBadgeAsync(broker.Port, "bob");
        // a's bridge runs: Alice's device joined the room.
        await phone.WaitForMembersAsync(roomId, [alicesAccount.UserId], timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);

        // A whole burst, posted by a from Alice's device: its Megolm session is in the shared key store when a dies.
        var whole = Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(1));
        await alice.TalkAsync(whole, 10);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == whole.BurstId, timeoutMs: 10_000);
        await phone.WaitForEventsAsync(roomId, 1, sender: alicesAccount.UserId, msgtype: "m.audio", timeout: TimeSpan.FromSeconds(60),
            cancellationToken: ct);

        var cut = Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(1));
        await alice.TalkAsync(cut, 25, release: false, gapMs: 20);
        Assert.True(await Eventually.TrueAsync(() => bob.FramesOf(cut.BurstId).Count == 25, 10_000));
        Assert.True(await Eventually.TrueAsync(() => site.BlocksOnDisk(cut.BurstId) == 25, 10_000));

        var killed = Stopwatch.StartNew();
        await a.KillAsync();
        Assert.True(await Eventually.TrueAsync(() => site.LeaseOwner(1) == "gateway-b", 15_000), string.Join("\n", b.Output));
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(5), $"the channel moved {killed.Elapsed} after the kill");

        var next = Assert.IsType<FloorGranted>(await alice.PressForFloorAsync(1));
        await alice.TalkAsync(next, 10);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == next.BurstId, timeoutMs: 10_000);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (ushort)i), bob.FramesOf(next.BurstId).Select(f => f.Sequence));
        Assert.True(await Eventually.TrueAsync(() => b.Output.Any(l => l.Contains($"Recovered burst {cut.BurstId}")), 10_000),
            string.Join("\n", b.Output));
        Assert.False(site.RecordingIndex.Get(cut.BurstId)!.Complete);

        // The room: the whole burst, the cut one (marked incomplete) and the next, in order, decrypted by the phone.
        var posted = await phone.WaitForEventsAsync(roomId, 3, sender: alicesAccount.UserId, msgtype: "m.audio", timeout: TimeSpan.FromSeconds(90),
            cancellationToken: ct);
        Assert.Equal([whole.BurstId, cut.BurstId, next.BurstId], posted.Select(BurstIdOf));
        Assert.Equal([false, true, false], posted.Select(e => e.Content["org.matrix.msc4002.burst"]?["incomplete"]?.GetValue<bool>()));
        foreach (var voice in posted)
        {
            Assert.True(voice.Encrypted, "a voice message was sent in the clear");
            Assert.Null(voice.DecryptionFailure);
            Assert.Equal(alicesAccount.DeviceId, voice.SenderDeviceId);
            Assert.True(voice.IsVoiceMessage);
        }

        var cutAudio = await phone.DownloadAttachmentAsync(posted[1].EventId, cancellationToken: ct);
        Assert.Equal(posted[1].Content["info"]?["size"]?.GetValue<long>(), cutAudio.Size);
        Assert.Equal("OggS"u8.ToArray(), cutAudio.Data![..4]);

        // Room for a second post of either burst to show (b's pumps run on every finished burst and "sent" report).
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var all = await phone.EventsAsync(roomId, sender: alicesAccount.UserId, type: "m.room.message", cancellationToken: ct);
        Assert.Equal(posted.Select(e => e.EventId), all.Select(e => e.EventId));
        Assert.True(b.Output.Any(l => l.Contains("starting the Matrix bridge")), string.Join("\n", b.Output));
    }

    private static uint BurstIdOf(ReceivedEvent voice) => voice.Content["org.matrix.msc4002.burst"]!["burst_id"]!.GetValue<uint>();
}
