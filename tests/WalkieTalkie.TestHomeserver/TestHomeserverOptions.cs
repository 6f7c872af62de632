namespace WalkieTalkie.TestHomeserver;

/// <summary>How a <see cref="TestHomeserver"/> is set up. The defaults are Synapse's defaults where the two differ
/// in something a client can notice.</summary>
public sealed class TestHomeserverOptions
{
    /// <summary>The server name in user ids, room ids and mxc URIs.</summary>
    public string ServerName { get; init; } = "test.local";

    /// <summary>Largest accepted upload in bytes (Synapse <c>max_upload_size</c>: 50M).</summary>
    public long MaxUploadSize { get; init; } = 50 * 1024 * 1024;

    /// <summary>When false (Synapse's default <c>enable_authenticated_media: true</c>), media is served only from
    /// <c>/_matrix/client/v1/media/…</c> with an access token and the legacy <c>/_matrix/media/v3/download</c>
    /// answers 404 M_NOT_FOUND. When true, the legacy endpoints serve it too, as servers before v1.11 did.</summary>
    public bool ServeUnauthenticatedMedia { get; init; }

    /// <summary>Whether open registration (<c>POST /register</c> with <c>m.login.dummy</c>) is allowed.</summary>
    public bool EnableRegistration { get; init; } = true;

    /// <summary>When true, even the first upload of cross-signing keys needs user-interactive auth (password), as on
    /// Synapse before 1.110 (MSC3967). By default only replacing existing keys needs it, as on current Synapse.</summary>
    public bool FirstCrossSigningUploadNeedsAuth { get; init; }

    /// <summary>Longest a <c>/sync</c> long-poll is held, whatever <c>timeout</c> the client asks for.</summary>
    public TimeSpan MaxSyncTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Clock for rate limits and timestamps (tests may pass a fake one).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Which Synapse rate limits are enforced from the start (all off by default; see
    /// <see cref="TestHomeserver.RateLimits"/> to switch them at run time).</summary>
    public RateLimitSwitches RateLimits { get; init; } = new();

    /// <summary>Kestrel and ASP.NET Core log output (off by default: tests stay quiet).</summary>
    public bool EnableServerLogging { get; init; }
}

/// <summary>
/// Switches for the rate limits a default Synapse applies (leaky buckets, numbers from Synapse's configuration
/// documentation). A limited request gets <c>429 M_LIMIT_EXCEEDED</c> with <c>Retry-After</c> and
/// <c>retry_after_ms</c>. Off by default so that tests that do not study limits are not slowed by them.
/// </summary>
public sealed class RateLimitSwitches
{
    /// <summary><c>rc_login</c>: 0.003/s, burst 5, per account (and 0.17/s, burst 3 for failed attempts).</summary>
    public bool Login { get; set; }

    /// <summary><c>rc_message</c>: 0.2/s, burst 10, per user: room event sends, room creation.</summary>
    public bool Message { get; set; }

    /// <summary><c>rc_registration</c>: 0.17/s, burst 3 (per client address; all clients here are 127.0.0.1).</summary>
    public bool Registration { get; set; }

    /// <summary><c>rc_joins.local</c>: 0.1/s, burst 10, per user.</summary>
    public bool Joins { get; set; }

    /// <summary><c>rc_invites.per_user</c> (0.003/s, burst 5, per invited user) and <c>per_issuer</c> (0.3/s, burst 10).</summary>
    public bool Invites { get; set; }

    /// <summary><c>rc_key_requests</c>: 20/s, burst 100, per user, for <c>m.room_key_request</c> to-device only.</summary>
    public bool KeyRequests { get; set; }

    /// <summary><c>rc_media_create</c>: 10/s, burst 50, per user, for <c>POST /_matrix/media/v1/create</c>.</summary>
    public bool MediaCreate { get; set; }

    /// <summary>Switches all of them on or off.</summary>
    public void SetAll(bool on) => Login = Message = Registration = Joins = Invites = KeyRequests = MediaCreate = on;
}
