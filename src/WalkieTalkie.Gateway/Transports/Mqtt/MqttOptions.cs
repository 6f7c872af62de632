using System.ComponentModel.DataAnnotations;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>MQTT settings (configuration section <c>Mqtt</c>).</summary>
public sealed class MqttOptions : IValidatableObject
{
    /// <summary><c>Embedded</c> (the default: an MQTTnet broker inside the gateway) or <c>External</c>.</summary>
    [RegularExpression("(?i)embedded|external", ErrorMessage = "Mqtt:Mode is Embedded or External")]
    public string Mode { get; set; } = "Embedded";

    /// <summary>The one address the embedded broker listens on (<c>::</c>: every IPv6 and IPv4 address).</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Plain TCP port of the embedded broker, only in development (<c>Gateway:Development</c>); 0 (the default) turns it off.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>TLS port of the embedded broker, with the site certificate; 0 turns TLS off.</summary>
    [Range(0, 65535)]
    public int TlsPort { get; set; } = 8883;

    /// <summary>Where the site certificate (PKCS#12) is kept; default <c>{DataDirectory}/site-cert.pfx</c>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>
    /// Host name the site certificate is issued for (also added: localhost, 127.0.0.1); the default is the broker host
    /// of nf.settings.json, so that a badge flashed with the defaults accepts it.
    /// </summary>
    public string CertificateHost { get; set; } = "walkie-gateway.local";

    /// <summary>
    /// Whether the embedded broker's badge connections are read by the gateway's own receive loop (one thread in epoll,
    /// Linux only; elsewhere this is ignored) rather than .NET's socket engine, which hands every received packet to the
    /// thread pool (docs/benchmarks.md, "Badge connections read by the gateway's own receive loop"). Default true.
    /// </summary>
    public bool OwnReceiveLoop { get; set; } = true;

    /// <summary>
    /// A live audio frame to this many listeners or fewer is written to their sockets by the thread that received it (on
    /// Linux the receive loop's); to a larger audience, by the writer threads, side by side. A write costs the same on any
    /// thread, and at 100 listeners waking the writers for each frame cost more than their help saved (docs/benchmarks.md,
    /// "A frame's listeners written by the thread that received it"); but one thread writing to thousands of listeners
    /// makes the last of them wait for all the others.
    /// </summary>
    [Range(0, 1_000_000)]
    public int InlineAudience { get; set; } = 256;

    /// <summary>External broker: host, port, the gateway's own credentials, TLS.</summary>
    public string ExternalHost { get; set; } = "127.0.0.1";
    [Range(1, 65535)]
    public int ExternalPort { get; set; } = 1883;
    public string ExternalUserName { get; set; } = "walkie-gateway";
    public string ExternalPassword { get; set; } = "";
    public bool ExternalTls { get; set; }

    /// <summary>
    /// The nodes of a clustered external broker, tried in turn (docs/scale.md): <c>host</c> or <c>host:port</c>
    /// separated by commas, a missing port being <see cref="ExternalPort"/>. When set, it replaces
    /// <see cref="ExternalHost"/>; the gateway moves to the next node when its node goes away.
    /// </summary>
    public string? ExternalNodes { get; set; }

    /// <summary>Where the gateway connects as a client of an external broker: the nodes in the order it tries them (the settings validated).</summary>
    public IReadOnlyList<BrokerNode> ExternalBrokerNodes() => BrokerNodes.Parse(ExternalNodes, ExternalHost, ExternalPort, out var error)
        ?? throw new InvalidOperationException(error);

    /// <summary>
    /// The gateway's MQTT client id at the external broker: one per gateway when several share a broker cluster
    /// (docs/scale.md), since a broker drops the older of two clients with one id.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Mqtt:ExternalClientId is 1 to 64 letters, digits, '.', '_' or '-'")]
    public string ExternalClientId { get; set; } = "walkie-gateway";

    /// <summary>
    /// External broker: seconds after which a control message's missing PUBACK counts as overdue (logged once per outage,
    /// counted, its place in the downlink's window given back). The engine never waits for a PUBACK; the MQTT client keeps
    /// the message and its wait until the connection ends.
    /// </summary>
    [Range(0.1, 600)]
    public double ExternalControlAckSeconds { get; set; } = 5;

    /// <summary>Audio budget per badge: sustained messages per second and burst allowance; beyond it frames are dropped.</summary>
    [Range(0.1, 1_000_000)]
    public double FloodMessagesPerSecond { get; set; } = 100;
    [Range(1, 1_000_000)]
    public double FloodBurst { get; set; } = 200;

    /// <summary>Control and state budget per badge, apart from audio's so that a flood of one never starves the other.</summary>
    [Range(0.1, 1_000_000)]
    public double ControlMessagesPerSecond { get; set; } = 50;
    [Range(1, 1_000_000)]
    public double ControlBurst { get; set; } = 100;

    public bool IsExternal => string.Equals(Mode, "External", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BrokerNodes.Parse(ExternalNodes, ExternalHost, ExternalPort, out var error) is null)
        {
            yield return new ValidationResult(error, [nameof(ExternalNodes)]);
        }
    }
}
