using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sync;

namespace WalkieTalkie.Matrix.Client;

public sealed partial class MatrixClient
{
    /// <summary>
    /// One <c>GET /sync</c> long-poll. <paramref name="since"/> is the previous answer's <c>next_batch</c> (null
    /// for the first sync). Not retried here: <see cref="SyncLoop"/> owns the backoff.
    /// </summary>
    public Task<SyncResponse> SyncAsync(string? since, JsonObject? filter, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var query = MatrixHttp.Query(
            ("since", since),
            ("timeout", MatrixHttp.Invariant((long)timeout.TotalMilliseconds)),
            ("filter", filter?.ToJsonString(MatrixJson.Options)));
        return Http.SendJsonAsync<SyncResponse>(HttpMethod.Get, V3 + "/sync" + query, null, RetryMode.Never,
            cancellationToken, timeout: timeout + Http.Options.RequestTimeout);
    }
}
