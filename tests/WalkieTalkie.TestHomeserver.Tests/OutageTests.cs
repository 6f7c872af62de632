using System.Net;
using System.Net.Sockets;
using static WalkieTalkie.TestHomeserver.Tests.Fixtures;

namespace WalkieTalkie.TestHomeserver.Tests;

public sealed class OutageTests
{
    [Fact]
    public async Task An_offline_server_refuses_connections_drops_long_polls_and_comes_back_with_its_state()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        var roomId = await alice.CreateRoomAsync();
        var since = Next(await alice.SyncAsync(cancellationToken: ct));
        var poll = alice.SyncAsync(since, timeoutMs: 20000, cancellationToken: ct);
        await Task.Delay(200, ct);

        await hs.GoOfflineAsync();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => poll.WaitAsync(TimeSpan.FromSeconds(15), ct));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => alice.GetAsync("_matrix/client/versions", ct));
        Assert.Equal(SocketError.ConnectionRefused, (refused.InnerException as SocketException)?.SocketErrorCode);

        await hs.GoOnlineAsync(ct);
        var eventId = await alice.SendTextAsync(roomId, "after the outage"); // same port, same token, same room
        Assert.Contains(Timeline(await alice.SyncAsync(since, cancellationToken: ct), roomId), e => e!["event_id"]!.GetValue<string>() == eventId);
    }

    [Fact]
    public async Task A_bad_gateway_outage_answers_502_until_the_server_is_back()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, _, alice) = NewUser(hs, "alice");
        using var _a = alice;
        await hs.GoOfflineAsync(OutageKind.BadGateway);
        Assert.Equal(HttpStatusCode.BadGateway, (await alice.GetAsync("_matrix/client/v3/account/whoami", ct)).Status);
        await hs.GoOnlineAsync(ct);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("_matrix/client/v3/account/whoami", ct)).Status);
    }
}
