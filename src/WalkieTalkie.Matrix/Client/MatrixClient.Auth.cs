using System.Net;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Auth;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sessions;

namespace WalkieTalkie.Matrix.Client;

public sealed partial class MatrixClient
{
    /// <summary>
    /// <c>m.login.password</c> with a user identifier and, when given, a device id (a badge keeps its device).
    /// Never retried by itself: Synapse allows a burst of 5 logins and then one per 5.5 minutes, so a 429 is
    /// handed back (with <see cref="MatrixException.RetryAfter"/>) for the caller to schedule.
    /// </summary>
    public async Task<MatrixSession> LoginAsync(PasswordCredentials credentials, CancellationToken cancellationToken = default)
    {
        var request = new PasswordLoginRequest(new UserIdentifier(credentials.User), credentials.Password,
            credentials.DeviceId, credentials.DeviceDisplayName);
        var response = await Http.SendJsonAsync<LoginResponse>(HttpMethod.Post, V3 + "/login", request,
            RetryMode.Never, cancellationToken, authenticated: false).ConfigureAwait(false);
        return Adopt(response);
    }

    /// <summary>
    /// Registers an account where the server allows it (for <c>walkie badge link</c>), completing the
    /// user-interactive stages we can: <c>m.login.dummy</c> and, when a token is given,
    /// <c>m.login.registration_token</c>. Returns the new account's session.
    /// </summary>
    public async Task<MatrixSession> RegisterAsync(string username, string password, string? deviceId = null,
        string? deviceDisplayName = null, string? registrationToken = null, CancellationToken cancellationToken = default)
    {
        JsonObject? auth = null;
        string[]? plan = null;
        var done = 0;
        while (true)
        {
            try
            {
                var response = await Http.SendJsonAsync<LoginResponse>(HttpMethod.Post, V3 + "/register",
                    new RegisterRequest(username, password, deviceId, deviceDisplayName, auth),
                    RetryMode.WhenNotProcessed, cancellationToken, authenticated: false).ConfigureAwait(false);
                return Adopt(response);
            }
            catch (MatrixException challenge) when (challenge.IsUserInteractiveAuthChallenge && challenge.Body is { } body)
            {
                var session = body["session"]?.GetValue<string>();
                plan ??= ChooseRegistrationFlow(body, registrationToken is not null)
                    ?? throw new MatrixException(HttpStatusCode.Unauthorized, MatrixErrorCode.Forbidden,
                        "Registration on this server needs steps the gateway cannot do (captcha, e-mail, terms): " +
                        "create the account by hand and link the badge with its password.", body: body);
                var completed = body["completed"] is JsonArray c ? c.Select(n => n?.GetValue<string>()).ToHashSet() : [];
                var next = plan.FirstOrDefault(stage => !completed.Contains(stage));
                if (next is null || ++done > plan.Length + 1)
                {
                    throw;
                }

                auth = new JsonObject { ["type"] = next, ["session"] = session };
                if (next == "m.login.registration_token")
                {
                    auth["token"] = registrationToken;
                }
            }
        }
    }

    /// <summary><c>GET /account/whoami</c>: checks the token and tells whose it is.</summary>
    public Task<WhoAmI> WhoAmIAsync(CancellationToken cancellationToken = default) =>
        Http.SendJsonAsync<WhoAmI>(HttpMethod.Get, V3 + "/account/whoami", null, RetryMode.Idempotent, cancellationToken);

    /// <summary><c>GET /account/whoami</c> once, without retries: whether the homeserver answers this account now (the
    /// outbox asks when the only entry in its queue keeps failing).</summary>
    internal Task<WhoAmI> WhoAmIOnceAsync(CancellationToken cancellationToken) =>
        Http.SendJsonAsync<WhoAmI>(HttpMethod.Get, V3 + "/account/whoami", null, RetryMode.Never, cancellationToken);

    /// <summary><c>POST /logout</c>: invalidates the token (and the server deletes the device and its keys).</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        await Http.SendJsonAsync<JsonObject>(HttpMethod.Post, V3 + "/logout", new JsonObject(), RetryMode.WhenNotProcessed,
            cancellationToken).ConfigureAwait(false);
        _session = null;
        Http.AccessToken = null;
    }

    private MatrixSession Adopt(LoginResponse response)
    {
        if (response.AccessToken is null || response.DeviceId is null)
        {
            throw new MatrixException(HttpStatusCode.OK, MatrixErrorCode.Unrecognized,
                "The homeserver's login answer holds no access token or device id.");
        }

        var session = new MatrixSession(Http.Homeserver, response.UserId, response.DeviceId, response.AccessToken);
        UseSession(session);
        return session;
    }

    private static string[]? ChooseRegistrationFlow(JsonObject body, bool haveToken)
    {
        if (body["flows"] is not JsonArray flows)
        {
            return null;
        }

        var possible = new HashSet<string> { "m.login.dummy" };
        if (haveToken)
        {
            possible.Add("m.login.registration_token");
        }

        return flows
            .Select(f => (f?["stages"] as JsonArray)?.Select(s => s?.GetValue<string>() ?? "").ToArray())
            .Where(stages => stages is { Length: > 0 } && stages.All(possible.Contains))
            .OrderBy(stages => stages!.Length)
            .FirstOrDefault();
    }
}
