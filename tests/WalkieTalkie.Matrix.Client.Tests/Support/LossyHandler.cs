using System.Net;
using System.Text;

namespace WalkieTalkie.Matrix.Client.Tests.Support;

/// <summary>
/// Sits between a client and the real test homeserver. It can lose the answer to a request the server did act on
/// (the case transaction ids exist for), and it can play an older server by rewriting <c>/versions</c> or by
/// answering a path prefix with 404 <c>M_UNRECOGNIZED</c>, as a server without that endpoint does.
/// </summary>
internal sealed class LossyHandler : DelegatingHandler
{
    private int _answersToLose;

    public LossyHandler() : base(new SocketsHttpHandler()) { }

    /// <summary>Requests whose answers are dropped after the server handled them.</summary>
    public Func<HttpRequestMessage, bool> LoseAnswersTo { get; set; } = _ => false;

    /// <summary>Spec versions to claim on <c>GET /_matrix/client/versions</c> instead of the server's (null: the server's).</summary>
    public string[]? ClaimVersions { get; set; }

    /// <summary>A path prefix answered 404 M_UNRECOGNIZED without asking the server (null: none).</summary>
    public string? UnroutedPrefix { get; set; }

    /// <summary>How many answers were lost so far.</summary>
    public int AnswersLost { get; private set; }

    /// <summary>Loses the next <paramref name="count"/> answers to requests that <see cref="LoseAnswersTo"/> selects.</summary>
    public void LoseNext(int count) => Interlocked.Exchange(ref _answersToLose, count);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (ClaimVersions is { } versions && path == "/_matrix/client/versions")
        {
            var list = string.Join(',', versions.Select(v => $"\"{v}\""));
            return Json(HttpStatusCode.OK, $"{{\"versions\":[{list}],\"unstable_features\":{{}}}}");
        }
        if (UnroutedPrefix is { } prefix && path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.NotFound, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}");
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (LoseAnswersTo(request) && Interlocked.Decrement(ref _answersToLose) >= 0)
        {
            // The server has done the work; the client never learns it.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            response.Dispose();
            AnswersLost++;
            throw new HttpRequestException("The connection was reset before the answer arrived (simulated)");
        }
        return response;
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
