using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Postgres;
using WalkieTalkie.Gateway.Tests.Playback;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Tests.Support.Postgres;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>
/// A voice message from Matrix waiting for a channel's floor (<c>{recordings}/queued</c>, on the folder the gateways
/// share) follows the channel's lease: when its gateway is cut off from the database, the new owner plays it, once,
/// and the gateway that lost the channel does not.
/// </summary>
public sealed class QueuedVoiceMessageFailoverTests(PostgresClassDatabase database) : IClassFixture<PostgresClassDatabase>, IAsyncLifetime
{
    private PostgresDatabase _registry = null!;
    private string _shared = null!;
    private TestGateway _a = null!;
    private TestGateway _b = null!;

    public async Task InitializeAsync()
    {
        _registry = database.Fresh();
        _shared = Directory.CreateTempSubdirectory("wt-shared-recordings-").FullName;
        _a = OnSharedDatabase("a");
        SharedRegistry.Provision(_registry, _a);
        await _a.StartAsync(BrokerKind.Mosquitto);
        // Started second, b finds every channel held by a.
        _b = OnSharedDatabase("b");
        await _b.StartOnAsync(_a.Mosquitto!, _b.Services);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _registry.Dispose();
        Directory.Delete(_shared, recursive: true);
    }

    [Fact]
    public async Task A_message_waiting_for_the_floor_is_played_once_by_the_channels_new_owner()
    {
        var alice = await _a.ConnectAsync("alice");
        var bob = await _a.ConnectAsync("bob");
        var grant = Assert.IsType<FloorGranted>(await alice.RequestFloorAsync(1));
        await alice.TalkAsync(grant, 3, release: false, gapMs: 20);
        var audio = MatrixAudio.Message(20, tag: 5);
        var message = await new EngineBadgePlayer(_a.Host.Engine).QueueAsync("ch1", audio, "Dad", CancellationToken.None);
        Assert.True(_a.Log.Contains("queued on channel 1", message.ToString()));

        // a can no longer reach the database, with the message still waiting behind Alice's burst.
        _a.Host.Services.GetRequiredService<PostgresDatabase>().Dispose();
        Assert.True(await Eventually.TrueAsync(() => Owns(_b, 1), 10_000), "b did not take channel 1");
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == grant.BurstId, timeoutMs: 10_000);

        var start = await bob.WaitForAsync<BurstStart>(s => s.BurstId == message, timeoutMs: 15_000);
        Assert.Equal("Dad", start.Talker);
        await bob.WaitForAsync<BurstEnd>(e => e.BurstId == message, timeoutMs: 15_000);
        Assert.True(await Eventually.TrueAsync(() => bob.FramesOf(message).Count == 20, 5_000), $"{bob.FramesOf(message).Count} of 20 frames");
        Assert.True(_b.Log.Contains("waits again on channel 1", message.ToString()));
        Assert.True(_a.Log.Contains("Lost the lease of channel 1", "left to its new owner"));
        // Time for a second play, by either gateway, to show.
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Single(bob.Control.OfType<BurstStart>(), s => s.BurstId == message);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (ushort)i), bob.FramesOf(message).Select(f => f.Sequence));
        Assert.False(File.Exists(Path.Combine(_shared, "recordings", "queued", $"{message:D8}-ch1.wtr")), "the played message is still queued on disk");
    }

    private static bool Owns(TestGateway gateway, byte channel) => gateway.Host.Services.GetRequiredService<ChannelOwnership>().Owns(channel);

    // Both gateways run on the class's database with their own ids, MQTT client ids and one recordings folder and key.
    private TestGateway OnSharedDatabase(string id)
    {
        var gateway = TestGateway.Create();
        gateway.Storage = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = database.ConnectionString };
        gateway.Mqtt.ExternalClientId = "gateway-" + id;
        gateway.Options.RecordingsDirectory = Path.Combine(_shared, "recordings");
        gateway.Options.RecordingKeyFile = Path.Combine(_shared, "recording.key");
        gateway.Services = services => services.PostConfigure<SiteOptions>(o => o.GatewayId = id);
        return gateway;
    }
}
