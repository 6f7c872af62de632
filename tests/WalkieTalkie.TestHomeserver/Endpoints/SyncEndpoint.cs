using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary><c>GET /sync</c>: an initial sync answers at once; an incremental one is held until something for this
/// device happens or <c>timeout</c> (capped) passes, then answers with what it has (possibly nothing new).</summary>
internal static class SyncEndpoint
{
    public static void Map(WebApplication app, ServerContext s) =>
        // A cast to Delegate: a lambda of HttpContext returning Task<IResult> would bind to RequestDelegate and drop the result.
        app.MapGet("/_matrix/client/v3/sync", (Func<HttpContext, Task<IResult>>)(http => SyncAsync(s, http)));

    private static async Task<IResult> SyncAsync(ServerContext s, HttpContext http)
    {
        var query = http.Request.Query;
        var sinceToken = StreamToken.ParseSyncOptional(query["since"]);
        var since = sinceToken?.Position;
        var fullState = query["full_state"] == "true";
        var timeoutMs = long.TryParse(query["timeout"], out var t) && t > 0 ? t : 0;
        var timeout = TimeSpan.FromMilliseconds(Math.Min(timeoutMs, s.Options.MaxSyncTimeout.TotalMilliseconds));
        var deadline = s.State.Clock.GetUtcNow() + timeout;
        var lagged = false;

        while (true)
        {
            Task nextChange;
            JsonObject response;
            bool empty;
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var account = s.AccountOf(device);
                var builder = new SyncBuilder(s.State, account, device, since, sinceToken?.ToDevice, RoomSyncFilter.Parse(account, query["filter"]), fullState);
                response = builder.Build();
                empty = builder.IsEmpty;
                nextChange = s.State.NextChange;
            }
            var remaining = deadline - s.State.Clock.GetUtcNow();
            var lag = TimeSpan.FromTicks(Interlocked.Read(ref s.SyncLagTicks));
            if (!empty && since is not null && !lagged && lag > TimeSpan.Zero)
            {
                lagged = true;
                await Task.Delay(lag, http.RequestAborted);
                continue; // answer with everything new by the end of the lag
            }

            if (!empty || since is null || fullState || remaining <= TimeSpan.Zero)
            {
                return Json.Ok(response);
            }

            try
            {
                await nextChange.WaitAsync(remaining, http.RequestAborted);
            }
            catch (TimeoutException)
            {
                // Build once more so that the answer carries the newest position.
            }
        }
    }
}
