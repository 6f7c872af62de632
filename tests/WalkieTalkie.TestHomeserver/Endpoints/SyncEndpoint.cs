using System.Text.Json;
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

        while (true)
        {
            Task nextChange;
            JsonObject response;
            bool empty;
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                var account = s.AccountOf(device);
                var builder = new SyncBuilder(s.State, account, device, since, sinceToken?.ToDevice, TimelineLimit(account, query["filter"]), fullState);
                response = builder.Build();
                empty = builder.IsEmpty;
                nextChange = s.State.NextChange;
            }
            var remaining = deadline - s.State.Clock.GetUtcNow();
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

    /// <summary>The <c>room.timeline.limit</c> of the filter (an id from <c>POST /filter</c> or inline JSON),
    /// default 10 like Synapse.</summary>
    private static int TimelineLimit(Account account, string? filter)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return 10;
        }

        JsonNode? definition;
        if (filter.StartsWith('{'))
        {
            try { definition = JsonNode.Parse(filter); }
            catch (JsonException) { throw MatrixException.InvalidParam("Invalid filter JSON"); }
        }
        else if (int.TryParse(filter, out var id) && id >= 0 && id < account.Filters.Count)
        {
            definition = account.Filters[id];
        }
        else
        {
            throw MatrixException.NotFound("No such filter");
        }

        var limit = definition?["room"]?["timeline"]?["limit"];
        return Json.AsLong(limit) is { } n and >= 0 ? (int)Math.Min(n, 1000) : 10;
    }
}
