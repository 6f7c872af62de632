using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Matrix.Client.Auth;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sessions;

namespace WalkieTalkie.Matrix.Client;

/// <summary>
/// One Matrix account (one device) on one homeserver: the typed Client-Server calls the gateway needs. It holds
/// no crypto: the crypto machine produces key bodies and to-device payloads, this class only carries them.
/// Calls are split by topic across the <c>MatrixClient.*.cs</c> files.
/// </summary>
public sealed partial class MatrixClient : IDisposable
{
    private const string V3 = "_matrix/client/v3";
    private readonly HttpClient? _ownedHttp;
    private readonly ILogger _logger;
    private ServerVersions? _versions;
    private MatrixSession? _session;

    /// <param name="homeserver">The client-server API base URL, e.g. <c>https://matrix.example.org</c>.</param>
    /// <param name="http">A shared HttpClient (its Timeout is not relied on), or null to own one.</param>
    /// <param name="options">Timeouts, retry policy.</param>
    /// <param name="logger">Where retries and a rejected token are logged.</param>
    public MatrixClient(Uri homeserver, HttpClient? http = null, MatrixHttpOptions? options = null, ILogger? logger = null)
    {
        if (http is null)
        {
            _ownedHttp = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            http = _ownedHttp;
        }
        _logger = logger ?? NullLogger.Instance;
        Http = new MatrixHttp(http, homeserver, options, _logger);
        Http.TokenRejected += OnTokenRejected;
    }

    /// <summary>The request layer (for calls this class does not wrap).</summary>
    public MatrixHttp Http { get; }

    /// <summary>The session in use, or null before login.</summary>
    public MatrixSession? Session => _session;

    /// <summary>The account's user id (requires a session).</summary>
    public string UserId => RequireSession().UserId;

    /// <summary>The device id (requires a session).</summary>
    public string DeviceId => RequireSession().DeviceId;

    /// <summary>True once the server rejected the token (<c>M_UNKNOWN_TOKEN</c>): this account needs to log in
    /// again, by an operator's action. Nothing here logs in by itself.</summary>
    public bool NeedsLogin { get; private set; }

    /// <summary>Raised when the server rejects the access token.</summary>
    public event Action<MatrixException>? LoginRequired;

    /// <summary>Uses a stored session: no login request, so no login rate limit spent.</summary>
    public void UseSession(MatrixSession session)
    {
        _session = session;
        Http.AccessToken = session.AccessToken;
        NeedsLogin = false;
        SessionChanged?.Invoke(session);
    }

    /// <summary>Raised when a session is taken into use (a stored one, or after a login).</summary>
    public event Action<MatrixSession>? SessionChanged;

    /// <summary>
    /// Opens an account: the stored session if there is one (never a login at start-up when a token exists),
    /// else a password login whose new session is saved before this returns.
    /// </summary>
    public static async Task<MatrixClient> ConnectAsync(Uri homeserver, ISessionStore store, PasswordCredentials? credentials,
        HttpClient? http = null, MatrixHttpOptions? options = null, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        var client = new MatrixClient(homeserver, http, options, logger);
        try
        {
            var stored = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
            if (stored is not null && SameServer(stored.Homeserver, client.Http.Homeserver))
            {
                client.UseSession(stored);
                return client;
            }
            if (credentials is null)
            {
                throw new InvalidOperationException(
                    $"No stored Matrix session for {homeserver} and no credentials to log in with.");
            }

            var session = await client.LoginAsync(credentials, cancellationToken).ConfigureAwait(false);
            await store.SaveAsync(session, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>A fresh transaction id. Store it with what it sends: reusing it on a retry is what makes the
    /// send idempotent.</summary>
    public static string NewTransactionId() => "wt" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary><c>GET /_matrix/client/versions</c>, fetched once and cached.</summary>
    public async Task<ServerVersions> GetVersionsAsync(CancellationToken cancellationToken = default)
    {
        if (_versions is { } known)
        {
            return known;
        }

        var versions = await Http.SendJsonAsync<ServerVersions>(HttpMethod.Get, "_matrix/client/versions", null,
            RetryMode.Idempotent, cancellationToken, authenticated: false).ConfigureAwait(false);
        _versions = versions;
        return versions;
    }

    public void Dispose()
    {
        Http.TokenRejected -= OnTokenRejected;
        _ownedHttp?.Dispose();
    }

    private MatrixSession RequireSession() =>
        _session ?? throw new InvalidOperationException("This Matrix client is not logged in.");

    private void OnTokenRejected(MatrixException error)
    {
        if (!NeedsLogin)
        {
            _logger.LogError("Matrix account {Account} needs to log in again: {Error}", _session?.ToString() ?? "(none)", error.Message);
        }

        NeedsLogin = true;
        LoginRequired?.Invoke(error);
    }

    private static bool SameServer(Uri a, Uri b) =>
        string.Equals(a.AbsoluteUri.TrimEnd('/'), b.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static string Seg(string value) => MatrixHttp.Segment(value);
}
