using System.Text.Json.Nodes;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sessions;
using WalkieTalkie.Matrix.Sending;

namespace WalkieTalkie.Gateway.Tests.Cli;

/// <summary>
/// <c>walkie badge outbox</c> and <c>walkie status</c>, run as the built process next to a running outbox on the same
/// file: a voice message that could never be sent is listed under its badge, and <c>retry</c> puts it back, after which
/// the outbox sends it.
/// </summary>
public sealed class OutboxCommandTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private Task<WalkieCli.Result> Walkie(params string[] args) => WalkieCli.RunAsync(_db.Directory, args);

    [Fact]
    public async Task A_stuck_voice_message_is_listed_under_its_badge_and_retry_sends_it()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = bound.Token;
        await using var hs = await TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var user = hs.RegisterUser("walkie-kid", "kid-password");
        var session = hs.CreateSession(user.UserId);
        using var client = new MatrixClient(hs.BaseUrl, new HttpClient(), new MatrixHttpOptions());
        client.UseSession(new MatrixSession(hs.BaseUrl, session.UserId, session.DeviceId, session.AccessToken));
        _db.Badges.Add("kid", "Kid");
        SqliteStores.Bridge(_db.Database).Links.SaveBadge(new BadgeLink("kid", session.UserId, session.DeviceId));
        var room = await client.CreateRoomAsync(new JsonObject(), ct);

        var broken = true;
        ValueTask<PreparedEvent> Prepare(OutboxEntry entry, JsonObject content, CancellationToken _) => Volatile.Read(ref broken)
            ? throw new InvalidOperationException("no Megolm session could be made (simulated)")
            : ValueTask.FromResult(new PreparedEvent(entry.EventType, content));
        var options = new OutboxOptions
        {
            DatabasePath = UnsentMessages.OutboxPath(new MatrixBridgeOptions(), _db.Directory),
            Owner = session.UserId + "|" + session.DeviceId,
            Backoff = new RetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(100), Jitter = 0 },
            StuckAfter = TimeSpan.Zero, StuckAfterAttempts = 2, IdleRecheck = TimeSpan.FromMilliseconds(200),
        };
        await using var outbox = new Outbox(client, options, Prepare);
        outbox.Start();
        var voice = new JsonObject { ["msgtype"] = "m.audio", ["body"] = "Voice message" };
        var entry = await outbox.EnqueueAsync(room, "m.room.message", voice, cancellationToken: ct);
        Assert.True(await Eventually.TrueAsync(() => outbox.ListAsync(OutboxState.Stuck, ct).Result.Count == 1, 30_000), "the entry did not become stuck");

        var list = await Walkie("badge", "outbox");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("1 voice message could not be sent", list.Output, StringComparison.Ordinal);
        var line = Assert.Single(list.Output.Split('\n'), l => l.Contains("kid", StringComparison.Ordinal));
        Assert.Contains(entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
        Assert.Contains("stuck", line, StringComparison.Ordinal);
        Assert.Contains("no Megolm session", line, StringComparison.Ordinal);

        var status = await Walkie("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("MATRIX: 1 voice message could not be sent", status.Output, StringComparison.Ordinal);

        Volatile.Write(ref broken, false);
        var retry = await Walkie("badge", "outbox", "retry", entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(retry.ExitCode == 0, retry.ToString());
        Assert.True(await Eventually.TrueAsync(() => outbox.ListAsync(OutboxState.Sent, ct).Result.Count == 1, 30_000),
            "the running outbox did not send the retried entry");
        Assert.Single(hs.RoomEvents(room), e => e["type"]?.GetValue<string>() == "m.room.message");

        var again = await Walkie("badge", "outbox", "retry", entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("no stuck or refused message", again.Error, StringComparison.Ordinal);
        Assert.Contains("every message was sent", (await Walkie("badge", "outbox")).Output, StringComparison.Ordinal);
    }
}
