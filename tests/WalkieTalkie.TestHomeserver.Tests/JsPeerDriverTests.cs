using WalkieTalkie.Interop;

namespace WalkieTalkie.TestHomeserver.Tests;

/// <summary>The driver's own contract: errors from the peer surface as <see cref="JsPeerException"/> with a clear
/// message, and waits end at their bound.</summary>
public sealed class JsPeerDriverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Peer_errors_and_timeouts_surface_as_JsPeerException_with_the_reason()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        await using var peer = await JsPeer.StartAsync("lonely", output.WriteLine, cancellationToken: ct);
        var ping = await peer.SendAsync("ping", cancellationToken: ct);
        Assert.StartsWith("v22.", ping["node"]!.GetValue<string>());

        var unknown = await Assert.ThrowsAsync<JsPeerException>(() => peer.SendAsync("noSuchCommand", cancellationToken: ct));
        Assert.Contains("unknown command 'noSuchCommand'", unknown.Message);
        var notStarted = await Assert.ThrowsAsync<JsPeerException>(() => peer.SendTextAsync("!room:test.local", "hi", ct));
        Assert.Contains("call 'start' first", notStarted.Message);

        // Nothing listens on this loopback port: the login fails with the connection error, not a hang.
        var refused = await Assert.ThrowsAsync<JsPeerException>(() =>
            peer.LoginAsync(new Uri("http://127.0.0.1:9/"), "alice", "pw", cancellationToken: ct));
        output.WriteLine(refused.Message);
        Assert.Contains("'login' failed", refused.Message);
    }
}
