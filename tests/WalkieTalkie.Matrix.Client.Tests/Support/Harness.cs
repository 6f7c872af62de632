using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sessions;
using WalkieTalkie.TestHomeserver;

namespace WalkieTalkie.Matrix.Client.Tests.Support;

/// <summary>Shared helpers: bounded waits, fast backoff, clients on the test homeserver.</summary>
internal static class Harness
{
    /// <summary>Bounds every test: nothing may hang the run.</summary>
    public static CancellationToken Bounded(TimeSpan? limit = null) =>
        new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(60)).Token;

    /// <summary>Fast backoff so that outages in tests cost milliseconds; delays still really happen.</summary>
    public static RetryPolicy FastRetry { get; } = new()
    {
        MaxAttempts = 5, InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(100), Jitter = 0,
    };

    public static MatrixHttpOptions FastOptions(Func<TimeSpan, CancellationToken, Task>? delay = null) => new()
    {
        Retry = FastRetry,
        RequestTimeout = TimeSpan.FromSeconds(10),
        Delay = delay ?? Task.Delay,
    };

    /// <summary>A registered user with a client already holding a session (no login request spent).</summary>
    public static (TestUser User, MatrixClient Client) NewClient(TestHomeserver.TestHomeserver hs, string localpart,
        HttpMessageHandler? handler = null, MatrixHttpOptions? options = null, string? deviceId = null)
    {
        var user = hs.RegisterUser(localpart, localpart + "-password");
        var session = hs.CreateSession(user.UserId, deviceId);
        var client = ClientFor(hs, handler, options);
        client.UseSession(new MatrixSession(hs.BaseUrl, session.UserId, session.DeviceId, session.AccessToken));
        return (user, client);
    }

    public static MatrixClient ClientFor(TestHomeserver.TestHomeserver hs, HttpMessageHandler? handler = null,
        MatrixHttpOptions? options = null)
    {
        var http = handler is null
            ? new HttpClient { Timeout = Timeout.InfiniteTimeSpan }
            : new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        return new MatrixClient(hs.BaseUrl, http, options ?? FastOptions());
    }

    /// <summary>Waits for a condition by polling it, within a bound; fails the test with <paramref name="what"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        using var bound = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (bound.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {what}");
            }

            await Task.Delay(20);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? limit = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, limit);

    public static JsonObject Text(string body) => new() { ["msgtype"] = "m.text", ["body"] = body };

    /// <summary>The bodies of the room's m.room.message events, in the server's order.</summary>
    public static List<string> MessageBodies(TestHomeserver.TestHomeserver hs, string roomId) =>
        hs.RoomEvents(roomId)
            .Where(e => e["type"]!.GetValue<string>() == "m.room.message")
            .Select(e => e["content"]!["body"]!.GetValue<string>())
            .ToList();

    /// <summary>
    /// Asserts how many requests of a kind the server answered. The server logs a request when its handler has
    /// finished, which can be a moment after the client already read the answer: so wait for the count first.
    /// </summary>
    public static async Task AssertRequestCountAsync(TestHomeserver.TestHomeserver hs, int expected, string method, string pathContains)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (CountRequests(hs, method, pathContains) < expected && !bound.IsCancellationRequested)
        {
            await Task.Delay(10);
        }

        Assert.Equal(expected, CountRequests(hs, method, pathContains));
    }

    public static int CountRequests(TestHomeserver.TestHomeserver hs, string method, string pathContains) =>
        hs.Requests.Count(r => r.Method == method && r.Path.Contains(pathContains, StringComparison.Ordinal));
}
