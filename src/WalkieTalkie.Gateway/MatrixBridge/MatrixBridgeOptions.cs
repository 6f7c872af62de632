using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>The <c>Matrix</c> configuration section. Without a homeserver the gateway runs without the bridge.</summary>
public sealed record MatrixBridgeOptions
{
    /// <summary>The homeserver's client URL (<c>https://matrix.example.org</c>).</summary>
    public string? Homeserver { get; init; }

    /// <summary>
    /// The file holding the key store's key (32 bytes, base64 or raw). Without it the key comes from
    /// <c>WALKIE_STORE_KEY</c>; there is no default.
    /// </summary>
    public string? StoreKeyFile { get; init; }

    /// <summary>Where sessions, key stores and the outbox live; <c>{DataDirectory}/matrix</c> when null.</summary>
    public string? Directory { get; init; }

    /// <summary>
    /// How often the bridge reads each linked room's state again and mirrors permits even when the registry did not
    /// change (a room change the sync path missed, a state event that failed to send).
    /// </summary>
    public double PermitRereadSeconds { get; init; } = 30;

    /// <summary>
    /// The longest wait between two attempts while the homeserver is away, for each badge device's sync loop, its
    /// outbox, and the bridge's blocked channels (all start at 1 s and double). It bounds how long after the
    /// homeserver's return the badges hear the room again and the waiting bursts start to go. The Matrix client's own
    /// defaults (60 s for sync, 2 min for the outbox) left a badge deaf for up to a minute after a minute's outage.
    /// </summary>
    public double HomeserverRetryMaxSeconds { get; init; } = 10;

    /// <summary>The backoff of the badge devices' sync loops and outboxes (see <see cref="HomeserverRetryMaxSeconds"/>); a method, so that configuration binding leaves it alone.</summary>
    public RetryPolicy HomeserverBackoff() => new()
    {
        InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(HomeserverRetryMaxSeconds), Jitter = 0.2,
    };

    /// <summary>The sync long-poll (shorter in tests).</summary>
    public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the bridge is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Homeserver);

    /// <summary>The folder of the bridge's files.</summary>
    public string ResolveDirectory(string dataDirectory) => Directory ?? Path.Combine(dataDirectory, "matrix");

    /// <summary>The folder of one badge's session and key store.</summary>
    public string BadgeDirectory(string dataDirectory, string badgeId) => Path.Combine(ResolveDirectory(dataDirectory), "badges", badgeId);

    /// <summary>The badge's Matrix device id: fixed, so a re-login keeps the device and its keys.</summary>
    public static string DeviceIdOf(string badgeId) =>
        "WT" + new string(badgeId.ToUpperInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
}
