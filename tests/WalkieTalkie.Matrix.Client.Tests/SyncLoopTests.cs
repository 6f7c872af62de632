using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sync;
using WalkieTalkie.Matrix.Client.Tests.Support;
using WalkieTalkie.TestHomeserver;
using static WalkieTalkie.Matrix.Client.Tests.Support.Harness;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>The sync loop against the test homeserver: long-polls, backoff through outages, redelivery after a
/// handler failure, and stopping on a rejected token.</summary>
public sealed class SyncLoopTests
{
    private static readonly RetryPolicy FastBackoff = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(80), Jitter = 0,
    };

    [Fact]
    public async Task An_idle_sync_is_held_by_the_server_and_answers_when_an_event_arrives()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        var (ben, benClient) = NewClient(hs, "ben");
        using var _a = anna;
        using var _b = benClient;
        var room = await anna.CreateRoomAsync(new JsonObject { ["invite"] = new JsonArray(ben.UserId) }, ct);
        await benClient.JoinRoomAsync(room, cancellationToken: ct);

        var handler = new RecordingSyncHandler();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loop = new SyncLoop(anna, handler, new SyncLoopOptions { Timeout = TimeSpan.FromSeconds(20), Backoff = FastBackoff });
        var running = loop.RunAsync(null, stop.Token);

        await WaitUntilAsync(() => handler.Accepted.Count >= 1, "the initial sync was handled");
        var afterInitial = handler.Accepted.Count;
        // Nothing happens: a held long-poll means no further answers (a server that did not hold would spin).
        await Task.Delay(400, ct);
        Assert.Equal(afterInitial, handler.Accepted.Count);

        await benClient.SendRoomEventAsync(room, "m.room.message", Text("over"), MatrixClient.NewTransactionId(), ct);
        await WaitUntilAsync(() => handler.TimelineBodies(room).Contains("over"), "the held sync delivered Ben's message");

        var delivering = handler.Accepted.Last(a => a.Response.Rooms?.Join?.ContainsKey(room) == true);
        Assert.NotNull(delivering.Since);
        await stop.CancelAsync();
        await running;
        Assert.Equal(handler.LastToken, loop.Since);
    }

    [Theory]
    [InlineData(OutageKind.ConnectionRefused)]
    [InlineData(OutageKind.BadGateway)]
    public async Task When_the_server_goes_away_the_loop_backs_off_and_resumes_with_its_token_when_it_returns(OutageKind outage)
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var delays = new RecordedDelays();
        var (_, anna) = NewClient(hs, "walkie-anna", options: FastOptions(delays.Delay));
        var (ben, benClient) = NewClient(hs, "ben");
        using var _a = anna;
        using var _b = benClient;
        var room = await anna.CreateRoomAsync(new JsonObject { ["invite"] = new JsonArray(ben.UserId) }, ct);
        await benClient.JoinRoomAsync(room, cancellationToken: ct);

        var handler = new RecordingSyncHandler();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loop = new SyncLoop(anna, handler, new SyncLoopOptions { Timeout = TimeSpan.FromSeconds(20), Backoff = FastBackoff });
        var running = loop.RunAsync(null, stop.Token);
        await WaitUntilAsync(() => handler.Accepted.Count >= 1, "the initial sync was handled");
        var tokenBefore = handler.LastToken;

        await hs.GoOfflineAsync(outage);
        await WaitUntilAsync(() => delays.Asked.Count >= 6, "the loop backed off several times");
        var during = delays.Asked.Take(6).Select(d => d.TotalMilliseconds).ToArray();
        Assert.Equal([10, 20, 40, 80, 80, 80], during);

        // Ben's message goes in while Anna's loop is still locked out, then the server comes back.
        await hs.GoOnlineAsync(ct);
        await benClient.SendRoomEventAsync(room, "m.room.message", Text("while you were away"), MatrixClient.NewTransactionId(), ct);
        await WaitUntilAsync(() => handler.TimelineBodies(room).Contains("while you were away"), "the message arrived after the outage");

        var resumed = handler.Accepted.First(a => a.Response.Rooms?.Join?.ContainsKey(room) == true && a.Since is not null);
        Assert.Equal(tokenBefore, resumed.Since);
        Assert.Equal(["while you were away"], handler.TimelineBodies(room).Where(b => b == "while you were away"));
        Assert.Equal(1, handler.Accepted.Count(a => a.Since is null));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_batch_the_handler_failed_on_comes_again_and_its_to_device_message_is_handled_exactly_once()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var delays = new RecordedDelays();
        var (anna, annaClient) = NewClient(hs, "walkie-anna", options: FastOptions(delays.Delay), deviceId: "BADGEANNA");
        var (_, benClient) = NewClient(hs, "ben");
        using var _a = annaClient;
        using var _b = benClient;

        var handler = new RecordingSyncHandler();
        var failuresLeft = 2;
        handler.Inspect = response =>
        {
            if (response.ToDeviceEvents.Count > 0 && failuresLeft-- > 0)
            {
                throw new IOException("disk full while saving crypto state (simulated)");
            }
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loop = new SyncLoop(annaClient, handler, new SyncLoopOptions { Timeout = TimeSpan.FromSeconds(20), Backoff = FastBackoff });
        var running = loop.RunAsync(null, stop.Token);
        await WaitUntilAsync(() => handler.Accepted.Count >= 1, "the initial sync was handled");

        var messages = new JsonObject { [anna.UserId] = new JsonObject { ["BADGEANNA"] = new JsonObject { ["n"] = 1 } } };
        await benClient.SendToDeviceAsync("org.example.ping", messages, MatrixClient.NewTransactionId(), ct);

        await WaitUntilAsync(() => handler.ToDevice.Count == 1, "the to-device message was accepted");
        Assert.Equal(3, handler.Offered.Count(o => o.ToDeviceEvents.Count > 0));
        Assert.Equal(2, delays.Asked.Count);
        // The next long-poll acknowledges it: the server drops it and it never comes again.
        await WaitUntilAsync(() => hs.PendingToDevice(anna.UserId, "BADGEANNA").Count == 0, "the server dropped the acknowledged message");
        await benClient.SendRoomEventAsync(await benClient.CreateRoomAsync(new JsonObject { ["invite"] = new JsonArray(anna.UserId) }, ct),
            "m.room.message", Text("later"), MatrixClient.NewTransactionId(), ct);
        await WaitUntilAsync(() => handler.Accepted.Any(a => a.Response.Rooms?.Invite?.Count > 0), "a later batch arrived");
        Assert.Single(handler.ToDevice);
        Assert.Equal("org.example.ping", handler.ToDevice[0].Type);
        Assert.Equal("@ben:test.local", handler.ToDevice[0].Sender);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_rejected_token_stops_the_loop_with_the_error()
    {
        var ct = Bounded();
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var (_, anna) = NewClient(hs, "walkie-anna");
        using var _a = anna;
        using var other = ClientFor(hs);
        other.UseSession(anna.Session!);

        var handler = new RecordingSyncHandler();
        // A short long-poll: the server checks the token again when it answers.
        var loop = new SyncLoop(anna, handler, new SyncLoopOptions { Timeout = TimeSpan.FromSeconds(1), Backoff = FastBackoff });
        var running = loop.RunAsync(null, ct);
        await WaitUntilAsync(() => handler.Accepted.Count >= 1, "the initial sync was handled");
        await other.LogoutAsync(ct);

        var error = await Assert.ThrowsAsync<MatrixException>(() => running);
        Assert.True(error.IsUnknownToken);
        Assert.True(anna.NeedsLogin);
    }
}
