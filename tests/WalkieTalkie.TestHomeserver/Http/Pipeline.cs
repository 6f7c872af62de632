using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace WalkieTalkie.TestHomeserver.Http;

/// <summary>The middleware around the endpoints: outages, the request log, and Matrix-shaped errors.</summary>
internal sealed class Pipeline
{
    public ConcurrentQueue<HomeserverRequest> Requests { get; } = new();
    public ConcurrentQueue<Exception> ServerErrors { get; } = new();
    public ConcurrentDictionary<HttpContext, byte> InFlight { get; } = new();

    /// <summary>When set, every request gets a 502 from a "reverse proxy" whose homeserver is gone.</summary>
    public volatile bool BadGateway;

    /// <summary>Only media downloads answer 502 (the media repository of a split deployment is down).</summary>
    public volatile bool MediaDownloadsBadGateway;

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (BadGateway || (MediaDownloadsBadGateway && http.Request.Path.Value?.Contains("/media/download/", StringComparison.Ordinal) == true))
        {
            http.Response.StatusCode = (int)HttpStatusCode.BadGateway;
            http.Response.ContentType = "text/html";
            await http.Response.WriteAsync("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>");
            Requests.Enqueue(new HomeserverRequest(http.Request.Method, http.Request.Path, 502));
            return;
        }
        // CORS as Synapse sends it on every response, and its answer to a preflight: 204 with the same headers. Browsers
        // (the web walkie's standalone page) call the client API from another origin.
        http.Response.Headers.AccessControlAllowOrigin = "*";
        http.Response.Headers.AccessControlAllowMethods = "GET, HEAD, POST, PUT, DELETE, OPTIONS";
        http.Response.Headers.AccessControlAllowHeaders = "X-Requested-With, Content-Type, Authorization, Date";
        http.Response.Headers.AccessControlExposeHeaders = "Synapse-Trace-Id, Server";
        if (HttpMethods.IsOptions(http.Request.Method))
        {
            http.Response.StatusCode = (int)HttpStatusCode.NoContent;
            Requests.Enqueue(new HomeserverRequest(http.Request.Method, http.Request.Path, 204));
            return;
        }

        InFlight[http] = 0;
        try
        {
            await next(http);
            // No route matched: Synapse answers 404 M_UNRECOGNIZED for an unknown path and 405 M_UNRECOGNIZED for a
            // known path with another method (routing sets those statuses and writes nothing).
            if (!http.Response.HasStarted && http.Response.StatusCode == (int)HttpStatusCode.MethodNotAllowed)
            {
                await WriteErrorAsync(http, new MatrixException(HttpStatusCode.MethodNotAllowed, "M_UNRECOGNIZED", "Unrecognized request"));
            }
            else if (!http.Response.HasStarted && http.Response.StatusCode == (int)HttpStatusCode.NotFound && http.GetEndpoint() is null)
            {
                await WriteErrorAsync(http, MatrixException.Unrecognized());
            }
        }
        catch (MatrixException e)
        {
            await WriteErrorAsync(http, e);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or the server was taken offline) during a long-poll.
        }
        catch (BadHttpRequestException e)
        {
            await WriteErrorAsync(http, new MatrixException(HttpStatusCode.BadRequest, "M_UNKNOWN", e.Message));
        }
        catch (Exception e)
        {
            // A fixture bug: answer as Synapse would, and keep it for the tests to see (TestHomeserver.ServerErrors).
            ServerErrors.Enqueue(e);
            await WriteErrorAsync(http, new MatrixException(HttpStatusCode.InternalServerError, "M_UNKNOWN", "Internal server error"));
        }
        finally
        {
            InFlight.TryRemove(http, out _);
            Requests.Enqueue(new HomeserverRequest(http.Request.Method, http.Request.Path, http.Response.StatusCode));
        }
    }

    private static async Task WriteErrorAsync(HttpContext http, MatrixException e)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        http.Response.Clear();
        http.Response.StatusCode = (int)e.Status;
        foreach (var (name, value) in e.Headers)
        {
            http.Response.Headers[name] = value;
        }

        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(e.ToBody().ToJsonString(), Encoding.UTF8);
    }

    /// <summary>Drops every open request's connection, as a crashing server would.</summary>
    public void AbortAll()
    {
        foreach (var http in InFlight.Keys)
        {
            // A request can finish between the listing and its abort; Kestrel has then disposed its context.
            try { http.Abort(); }
            catch (ObjectDisposedException) { }
        }
    }

}

/// <summary>One request the homeserver answered: method, path and status code.</summary>
public sealed record HomeserverRequest(string Method, string Path, int Status);
