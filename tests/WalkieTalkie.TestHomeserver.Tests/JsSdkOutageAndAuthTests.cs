using WalkieTalkie.Interop;

namespace WalkieTalkie.TestHomeserver.Tests;

/// <summary>The fixture's outage switch and interactive auth as an unmodified js-sdk client meets them.</summary>
public sealed class JsSdkOutageAndAuthTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Js_sdk_answers_the_password_challenge_of_a_server_that_wants_auth_for_the_first_cross_signing_upload()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        await using var hs = await TestHomeserver.StartAsync(new TestHomeserverOptions { FirstCrossSigningUploadNeedsAuth = true }, ct);
        await using var carol = await JsPeer.StartAsync("carol", output.WriteLine, cancellationToken: ct);
        var session = await carol.RegisterAsync(hs.BaseUrl, "carol", "carol-pw", cancellationToken: ct);
        await carol.StartClientAsync(cancellationToken: ct);
        Assert.True(await carol.BootstrapCrossSigningAsync(cancellationToken: ct));

        var uploads = hs.Requests.Where(r => r.Path.EndsWith("/keys/device_signing/upload", StringComparison.Ordinal)).ToList();
        Assert.Equal([401, 200], uploads.Select(r => r.Status));
        var trust = await carol.DeviceTrustAsync(session.UserId, session.DeviceId, ct);
        Assert.True(trust.SignedByOwner, trust.ToString());
    }

    [Theory]
    [InlineData(OutageKind.ConnectionRefused)]
    [InlineData(OutageKind.BadGateway)]
    public async Task Js_sdk_clients_carry_on_after_an_outage_with_the_room_and_keys_intact(OutageKind kind)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        await using var pair = await PeerPair.StartAsync(output, ct);
        var before = await pair.Alice.SendTextAsync(pair.RoomId, "before", ct);
        await pair.Bob.WaitForEventAsync(pair.RoomId, eventId: before, cancellationToken: ct);

        await pair.Homeserver.GoOfflineAsync(kind);
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // long enough for both clients' syncs to fail
        if (kind == OutageKind.BadGateway)
        {
            // A long-poll begun before the outage may still be held: wait (bounded) until a client has met a 502.
            var until = DateTime.UtcNow.AddSeconds(60);
            while (!pair.Homeserver.Requests.Any(r => r.Status == 502) && DateTime.UtcNow < until)
            {
                await Task.Delay(200, ct);
            }

            Assert.Contains(pair.Homeserver.Requests, r => r.Status == 502);
        }
        await pair.Homeserver.GoOnlineAsync(ct);

        var after = await pair.Alice.SendTextAsync(pair.RoomId, "after", ct);
        var received = await pair.Bob.WaitForEventAsync(pair.RoomId, eventId: after, timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
        Assert.Null(received.DecryptionFailure);
        Assert.Equal("after", received.Body);
        Assert.True(received.Shield!.IsNone, received.Shield.ToString());
        Assert.Empty(pair.Homeserver.ServerErrors);
    }
}
