using WalkieTalkie.Interop;

namespace WalkieTalkie.TestHomeserver.Tests;

/// <summary>A test homeserver with two js-sdk peers: Alice (all devices) and Bob (only signed devices), both
/// registered and cross-signed, in one encrypted room Alice created and Bob joined.</summary>
internal sealed class PeerPair : IAsyncDisposable
{
    public required TestHomeserver Homeserver { get; init; }
    public required JsPeer Alice { get; init; }
    public required JsPeer Bob { get; init; }
    public required PeerSession AliceSession { get; init; }
    public required PeerSession BobSession { get; init; }
    public required string RoomId { get; init; }

    public static async Task<PeerPair> StartAsync(ITestOutputHelper output, CancellationToken ct, bool crossSignAlice = true)
    {
        var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        JsPeer? alice = null, bob = null;
        try
        {
            alice = await JsPeer.StartAsync("alice", output.WriteLine, cancellationToken: ct);
            bob = await JsPeer.StartAsync("bob", output.WriteLine, cancellationToken: ct);
            var aliceSession = await alice.RegisterAsync(hs.BaseUrl, "alice", "alice-pw", cancellationToken: ct);
            var bobSession = await bob.RegisterAsync(hs.BaseUrl, "bob", "bob-pw", cancellationToken: ct);
            await alice.StartClientAsync(DeviceIsolation.AllDevices, cancellationToken: ct);
            await bob.StartClientAsync(DeviceIsolation.OnlySignedDevices, cancellationToken: ct);
            if (crossSignAlice)
            {
                Assert.True(await alice.BootstrapCrossSigningAsync(cancellationToken: ct));
            }

            Assert.True(await bob.BootstrapCrossSigningAsync(cancellationToken: ct));

            var roomId = await alice.CreateRoomAsync("walkie", [bobSession.UserId], encrypted: true, cancellationToken: ct);
            await bob.WaitForMembersAsync(roomId, [bobSession.UserId], "invite", cancellationToken: ct);
            await bob.JoinRoomAsync(roomId, ct);
            await alice.WaitForMembersAsync(roomId, [aliceSession.UserId, bobSession.UserId], cancellationToken: ct);
            return new PeerPair
            {
                Homeserver = hs, Alice = alice, Bob = bob, AliceSession = aliceSession, BobSession = bobSession, RoomId = roomId,
            };
        }
        catch
        {
            if (bob is not null)
            {
                await bob.DisposeAsync();
            }

            if (alice is not null)
            {
                await alice.DisposeAsync();
            }

            await hs.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Bob.DisposeAsync();
        await Alice.DisposeAsync();
        await Homeserver.DisposeAsync();
    }
}
