using System.Net;
using System.Text;

namespace WalkieTalkie.Matrix.Client.Tests.Support;

/// <summary>
/// Sits between a client and the real test homeserver and answers the requests <see cref="Fails"/> selects with
/// 500 <c>M_UNKNOWN</c> without asking the server, as a homeserver with a bug that one event trips does; the rest go
/// through. Set <see cref="Fails"/> to nothing and the homeserver has recovered.
/// </summary>
internal sealed class FailingHandler : DelegatingHandler
{
    private volatile Func<HttpRequestMessage, bool> _fails = _ => false;

    public FailingHandler() : base(new SocketsHttpHandler()) { }

    /// <summary>Which requests fail now.</summary>
    public Func<HttpRequestMessage, bool> Fails
    {
        get => _fails;
        set => _fails = value;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Fails(request)
            ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError)
            {
                Content = new StringContent("{\"errcode\":\"M_UNKNOWN\",\"error\":\"Internal server error (simulated)\"}", Encoding.UTF8, "application/json"),
            })
            : base.SendAsync(request, cancellationToken);
}
