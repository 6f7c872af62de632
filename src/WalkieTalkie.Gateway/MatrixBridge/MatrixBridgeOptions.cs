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

    /// <summary>How often the bridge looks for finished bursts (the recorder has no hook for it).</summary>
    public double PumpSeconds { get; init; } = 0.5;

    /// <summary>
    /// The longest wait before the bridge tries a blocked channel again (homeserver away): 1 s, then doubling up to this.
    /// It bounds how long after the homeserver's return the waiting bursts start to go.
    /// </summary>
    public double BlockedRetryMaxSeconds { get; init; } = 8;

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
