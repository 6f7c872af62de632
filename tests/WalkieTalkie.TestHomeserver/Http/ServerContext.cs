using System.Net;
using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Http;

/// <summary>What every endpoint needs: the state, the options, the rate limits, and the access-token check.</summary>
internal sealed class ServerContext(TestHomeserverOptions options, RateLimitSwitches switches)
{
    public TestHomeserverOptions Options { get; } = options;
    public HomeserverState State { get; } = new(options.ServerName, options.Clock);
    public RateLimitSwitches Switches { get; } = switches;
    public RateLimiter Limiter { get; } = new(options.Clock);

    /// <summary>How long an incremental sync with something new waits before it answers (see
    /// <see cref="TestHomeserver.SyncLag"/>), in ticks so that it can be switched while syncs run.</summary>
    public long SyncLagTicks;

    /// <summary>The device of the request's access token (<c>Authorization: Bearer</c> or the deprecated
    /// <c>access_token</c> query parameter). Call under <see cref="HomeserverState.Gate"/>.</summary>
    public Device Authenticate(HttpContext http)
    {
        var token = AccessToken(http) ?? throw MatrixException.MissingToken();
        if (!State.DevicesByToken.TryGetValue(token, out var device))
        {
            throw MatrixException.UnknownToken();
        }

        device.LastSeen = State.Clock.GetUtcNow();
        return device;
    }

    public static string? AccessToken(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return header["Bearer ".Length..].Trim();
        }

        var query = http.Request.Query["access_token"].ToString();
        return query.Length > 0 ? query : null;
    }

    public Account AccountOf(Device device) => State.Accounts[device.UserId];

    /// <summary>Turns a localpart or a full user id into a user id of this server.</summary>
    public string QualifyUserId(string user) => user.StartsWith('@') ? user : $"@{user}:{State.ServerName}";

    /// <summary>Requires user-interactive auth with <c>m.login.password</c> for the account (device deletion,
    /// cross-signing key replacement), answering 401 with the flows as Synapse does until it is given.</summary>
    public void RequirePasswordAuth(Account account, JsonObject body)
    {
        var auth = body.OptionalObject("auth");
        MatrixException Challenge(string? errcode, string error)
        {
            var e = new MatrixException(HttpStatusCode.Unauthorized, errcode, error);
            e.Extra["flows"] = new JsonArray(new JsonObject { ["stages"] = new JsonArray("m.login.password") });
            e.Extra["params"] = new JsonObject();
            e.Extra["session"] = auth?.OptionalString("session") ?? State.NewId();
            e.Extra["completed"] = new JsonArray();
            return e;
        }

        if (auth is null)
        {
            throw Challenge(null, "User-interactive authentication is required");
        }

        if (auth.OptionalString("type") != "m.login.password")
        {
            throw Challenge("M_UNRECOGNIZED", "Only m.login.password is offered");
        }

        var user = auth.OptionalObject("identifier")?.OptionalString("user") ?? auth.OptionalString("user");
        if (user is null || QualifyUserId(user) != account.UserId || auth.OptionalString("password") != account.Password)
        {
            throw Challenge("M_FORBIDDEN", "Invalid username or password");
        }
    }

    /// <summary>Takes one action from a Synapse limit when its switch is on.</summary>
    public void Limit(bool on, string limit, string actor, double perSecond, int burst)
    {
        if (on)
        {
            Limiter.Take(limit, actor, perSecond, burst);
        }
    }

    /// <summary>Deletes a device, its tokens, keys and inbox, and announces the device list change.</summary>
    public void DeleteDevice(Account account, string deviceId)
    {
        if (!account.Devices.Remove(deviceId))
        {
            return;
        }

        foreach (var token in State.DevicesByToken.Where(p => p.Value.UserId == account.UserId && p.Value.DeviceId == deviceId)
                     .Select(p => p.Key).ToList())
        {
            State.DevicesByToken.Remove(token);
        }

        State.NoteDeviceListChange(account.UserId);
    }

    /// <summary>Creates (or reuses) a device and gives it a new access token.</summary>
    public (Device Device, string Token) OpenSession(Account account, string? deviceId, string? displayName)
    {
        deviceId ??= State.NewDeviceId();
        if (!account.Devices.TryGetValue(deviceId, out var device))
        {
            device = new Device(account.UserId, deviceId) { DisplayName = displayName, LastSeen = State.Clock.GetUtcNow() };
            account.Devices[deviceId] = device;
            State.NoteDeviceListChange(account.UserId);
        }
        var token = "syt_" + State.NewId(24);
        State.DevicesByToken[token] = device;
        return (device, token);
    }
}
