using System.ComponentModel.DataAnnotations;

namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// What a client may cost the gateway before it is refused, logged less, or kept out (configuration section
/// <c>Limits</c>). The defaults leave a well-behaved badge untouched; see docs/security.md.
/// </summary>
public sealed class LimitOptions
{
    /// <summary>From a new connection to its accepted CONNECT (the TLS handshake included): longer, and it is closed.</summary>
    [Range(0.5, 300)]
    public double HandshakeSeconds { get; set; } = 10;

    /// <summary>Connections one address may have open that have not logged in yet; more wait for one of these to end.</summary>
    [Range(1, 100_000)]
    public int UnauthenticatedPerAddress { get; set; } = 16;

    /// <summary>
    /// Connections from one address that may wait for a login slot (<see cref="UnauthenticatedPerAddress"/>): a site
    /// behind NAT reconnecting all its badges at once (a gateway restart) is one address. One more is closed at once.
    /// </summary>
    [Range(0, 1_000_000)]
    public int WaitingPerAddress { get; set; } = 4096;

    /// <summary>How long a waiting connection waits for a slot before it is closed (its handshake time starts with the slot).</summary>
    [Range(0.1, 60)]
    public double WaitSeconds { get; set; } = 1;

    /// <summary>Failed logins as one badge id before its logins back off (even with the right secret).</summary>
    [Range(1, 1000)]
    public int LoginFailuresPerBadge { get; set; } = 5;

    /// <summary>Failed logins from one address before every login from it backs off.</summary>
    [Range(1, 100_000)]
    public int LoginFailuresPerAddress { get; set; } = 20;

    /// <summary>The first back-off after too many failures; it doubles with each further failure.</summary>
    [Range(0.1, 3600)]
    public double LoginBackoffSeconds { get; set; } = 1;

    /// <summary>The longest back-off.</summary>
    [Range(0.1, 86_400)]
    public double MaxLoginBackoffSeconds { get; set; } = 60;

    /// <summary>Log lines per badge (or address) and kind of refusal in one window; the rest are counted.</summary>
    [Range(1, 10_000)]
    public int RefusalLogLines { get; set; } = 10;

    /// <summary>The window refusals are counted and logged in.</summary>
    [Range(0.1, 3600)]
    public double RefusalWindowSeconds { get; set; } = 10;

    /// <summary>Refusals in one window (floods excepted: they are only throttled) that get a badge disconnected.</summary>
    [Range(1, 1_000_000)]
    public int RefusalsBeforeBan { get; set; } = 100;

    /// <summary>How long a disconnected badge is kept out the first time; it doubles each time it is disconnected again.</summary>
    [Range(0.1, 86_400)]
    public double BanSeconds { get; set; } = 10;

    /// <summary>The longest a badge is kept out.</summary>
    [Range(0.1, 86_400)]
    public double MaxBanSeconds { get; set; } = 600;
}
