using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>/versions, login, registration, logout, whoami and device management.</summary>
internal static partial class AuthEndpoints
{
    private const string V3 = "/_matrix/client/v3";

    [GeneratedRegex("^[a-z0-9._=/+-]+$")]
    private static partial Regex LocalpartPattern();

    public static void Map(WebApplication app, ServerContext s)
    {
        app.MapGet("/_matrix/client/versions", () => Json.Ok(new JsonObject
        {
            ["versions"] = new JsonArray("r0.5.0", "r0.6.0", "r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6",
                "v1.7", "v1.8", "v1.9", "v1.10", "v1.11"),
            ["unstable_features"] = new JsonObject(),
        }));

        app.MapGet(V3 + "/login", () => Json.Ok(new JsonObject
        {
            ["flows"] = new JsonArray(new JsonObject { ["type"] = "m.login.password" }),
        }));
        app.MapPost(V3 + "/login", async (HttpContext http) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            return Login(s, body);
        });

        app.MapPost(V3 + "/register", async (HttpContext http) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            return Register(s, body, http.Request.Query["kind"].ToString());
        });
        app.MapGet(V3 + "/register/available", (HttpContext http) =>
        {
            var username = http.Request.Query["username"].ToString();
            lock (s.State.Gate)
            {
                CheckLocalpart(s, username);
                return Json.Ok(new JsonObject { ["available"] = true });
            }
        });

        app.MapPost(V3 + "/logout", (HttpContext http) =>
        {
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                s.DeleteDevice(s.AccountOf(device), device.DeviceId);
                return Json.Empty();
            }
        });
        app.MapPost(V3 + "/logout/all", (HttpContext http) =>
        {
            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                foreach (var id in account.Devices.Keys.ToList())
                {
                    s.DeleteDevice(account, id);
                }

                return Json.Empty();
            }
        });
        app.MapGet(V3 + "/account/whoami", (HttpContext http) =>
        {
            lock (s.State.Gate)
            {
                var device = s.Authenticate(http);
                return Json.Ok(new JsonObject
                {
                    ["user_id"] = device.UserId, ["device_id"] = device.DeviceId, ["is_guest"] = false,
                });
            }
        });

        app.MapGet(V3 + "/devices", (HttpContext http) =>
        {
            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                return Json.Ok(new JsonObject
                {
                    ["devices"] = new JsonArray(account.Devices.Values.Select(d => (JsonNode)DeviceInfo(d)).ToArray()),
                });
            }
        });
        app.MapGet(V3 + "/devices/{deviceId}", (HttpContext http, string deviceId) =>
        {
            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                return account.Devices.TryGetValue(deviceId, out var d)
                    ? Json.Ok(DeviceInfo(d))
                    : throw MatrixException.NotFound("Device not found");
            }
        });
        app.MapPut(V3 + "/devices/{deviceId}", async (HttpContext http, string deviceId) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                if (!account.Devices.TryGetValue(deviceId, out var d))
                {
                    throw MatrixException.NotFound("Device not found");
                }

                d.DisplayName = body.OptionalString("display_name") ?? d.DisplayName;
                s.State.NoteDeviceListChange(account.UserId);
                return Json.Empty();
            }
        });
        app.MapDelete(V3 + "/devices/{deviceId}", async (HttpContext http, string deviceId) =>
        {
            var body = await Json.ReadObjectAsync(http.Request);
            lock (s.State.Gate)
            {
                var account = s.AccountOf(s.Authenticate(http));
                if (!account.Devices.ContainsKey(deviceId))
                {
                    throw MatrixException.NotFound("Device not found");
                }

                s.RequirePasswordAuth(account, body);
                s.DeleteDevice(account, deviceId);
                return Json.Empty();
            }
        });
    }

    private static JsonObject DeviceInfo(Device d) => new()
    {
        ["device_id"] = d.DeviceId,
        ["display_name"] = d.DisplayName,
        ["last_seen_ip"] = "127.0.0.1",
        ["last_seen_ts"] = d.LastSeen.ToUnixTimeMilliseconds(),
    };

    private static IResult Login(ServerContext s, JsonObject body)
    {
        var type = body.RequiredString("type");
        if (type != "m.login.password")
        {
            throw new MatrixException(HttpStatusCode.BadRequest, "M_UNKNOWN", $"Unknown login type {type}");
        }

        var identifier = body.OptionalObject("identifier");
        string? user;
        if (identifier is not null)
        {
            if (identifier.OptionalString("type") != "m.id.user")
            {
                throw new MatrixException(HttpStatusCode.BadRequest, "M_UNKNOWN", "Unknown login identifier type");
            }

            user = identifier.OptionalString("user");
        }
        else
        {
            user = body.OptionalString("user");
        }

        if (user is null)
        {
            throw MatrixException.MissingParam("User identifier is missing 'user' key");
        }

        var password = body.RequiredString("password");

        lock (s.State.Gate)
        {
            var userId = s.QualifyUserId(user.ToLowerInvariant());
            s.Limit(s.Switches.Login, "rc_login.address", "127.0.0.1", 0.003, 5);
            s.Limit(s.Switches.Login, "rc_login.account", userId, 0.003, 5);
            if (!s.State.Accounts.TryGetValue(userId, out var account) || account.Password != password)
            {
                s.Limit(s.Switches.Login, "rc_login.failed_attempts", userId, 0.17, 3);
                throw MatrixException.Forbidden("Invalid username or password");
            }
            var (device, token) = s.OpenSession(account, body.OptionalString("device_id"),
                body.OptionalString("initial_device_display_name"));
            return Json.Ok(new JsonObject
            {
                ["user_id"] = account.UserId,
                ["access_token"] = token,
                ["device_id"] = device.DeviceId,
                ["home_server"] = s.State.ServerName,
            });
        }
    }

    private static IResult Register(ServerContext s, JsonObject body, string kind)
    {
        if (kind == "guest")
        {
            throw new MatrixException(HttpStatusCode.Forbidden, "M_GUEST_ACCESS_FORBIDDEN", "Guest access is disabled");
        }

        if (!s.Options.EnableRegistration)
        {
            throw MatrixException.Forbidden("Registration has been disabled");
        }

        lock (s.State.Gate)
        {
            s.Limit(s.Switches.Registration, "rc_registration", "127.0.0.1", 0.17, 3);
            var username = body.OptionalString("username")?.ToLowerInvariant() ?? s.State.NewDeviceId().ToLowerInvariant();
            CheckLocalpart(s, username);
            var password = body.OptionalString("password");

            // Synapse checks the username before user-interactive auth, then offers only m.login.dummy.
            var auth = body.OptionalObject("auth");
            if (auth?.OptionalString("type") != "m.login.dummy")
            {
                var e = new MatrixException(HttpStatusCode.Unauthorized, auth is null ? null : "M_UNRECOGNIZED",
                    "Only m.login.dummy is offered");
                e.Extra["flows"] = new JsonArray(new JsonObject { ["stages"] = new JsonArray("m.login.dummy") });
                e.Extra["params"] = new JsonObject();
                e.Extra["session"] = auth?.OptionalString("session") ?? s.State.NewId();
                throw e;
            }
            if (password is null)
            {
                throw MatrixException.MissingParam("Missing params: password");
            }

            // Synapse gives a new account its localpart as display name; it shows in every room the account joins.
            var account = new Account(s.QualifyUserId(username), password) { DisplayName = username };
            s.State.Accounts[account.UserId] = account;
            var result = new JsonObject { ["user_id"] = account.UserId, ["home_server"] = s.State.ServerName };
            if (!body.OptionalBool("inhibit_login", false))
            {
                var (device, token) = s.OpenSession(account, body.OptionalString("device_id"),
                    body.OptionalString("initial_device_display_name"));
                result["access_token"] = token;
                result["device_id"] = device.DeviceId;
            }
            return Json.Ok(result);
        }
    }

    private static void CheckLocalpart(ServerContext s, string username)
    {
        if (username.Length == 0 || !LocalpartPattern().IsMatch(username))
        {
            throw new MatrixException(HttpStatusCode.BadRequest, "M_INVALID_USERNAME",
                "User ID can only contain characters a-z, 0-9, or '=_-./+'");
        }

        if (s.State.Accounts.ContainsKey(s.QualifyUserId(username)))
        {
            throw new MatrixException(HttpStatusCode.BadRequest, "M_USER_IN_USE", "User ID already taken.");
        }
    }
}
