using System.Net;
using System.Text;

namespace WalkieTalkie.Matrix.Client.Tests.Support;

/// <summary>
/// A fake HTTP handler answering from a script, one step per request, for error and backoff paths that a real
/// server produces only rarely. Records every request it saw.
/// </summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _steps = new();

    public List<(string Method, string Path, string? Authorization)> Requests { get; } = [];

    public ScriptedHandler Then(HttpStatusCode status, string json, Action<HttpResponseMessage>? adjust = null)
    {
        _steps.Enqueue(_ =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            adjust?.Invoke(response);
            return response;
        });
        return this;
    }

    public ScriptedHandler ThenHtml(HttpStatusCode status, string html)
    {
        _steps.Enqueue(_ => new HttpResponseMessage(status) { Content = new StringContent(html, Encoding.UTF8, "text/html") });
        return this;
    }

    public ScriptedHandler ThenNetworkFailure()
    {
        _steps.Enqueue(_ => throw new HttpRequestException("Connection reset by peer (scripted)"));
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add((request.Method.Method, request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString()));
        if (_steps.Count == 0)
        {
            throw new InvalidOperationException($"No scripted answer left for {request.Method} {request.RequestUri}");
        }

        return Task.FromResult(_steps.Dequeue()(request));
    }
}
