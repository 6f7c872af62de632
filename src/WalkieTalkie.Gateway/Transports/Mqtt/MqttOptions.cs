using System.ComponentModel.DataAnnotations;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>MQTT settings (configuration section <c>Mqtt</c>).</summary>
public sealed class MqttOptions
{
    /// <summary><c>Embedded</c> (the default: an MQTTnet broker inside the gateway) or <c>External</c>.</summary>
    [RegularExpression("(?i)embedded|external", ErrorMessage = "Mqtt:Mode is Embedded or External")]
    public string Mode { get; set; } = "Embedded";

    /// <summary>Address the embedded broker listens on.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Plain TCP port of the embedded broker (development); 0 turns the plain endpoint off.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>TLS port of the embedded broker; 0 turns TLS off.</summary>
    [Range(0, 65535)]
    public int TlsPort { get; set; }

    /// <summary>Where the site certificate (PKCS#12) is kept; default <c>{DataDirectory}/site-cert.pfx</c>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Host name the site certificate is issued for (also added: localhost, 127.0.0.1).</summary>
    public string CertificateHost { get; set; } = "walkie.local";

    /// <summary>External broker: host, port, the gateway's own credentials, TLS.</summary>
    public string ExternalHost { get; set; } = "127.0.0.1";
    [Range(1, 65535)]
    public int ExternalPort { get; set; } = 1883;
    public string ExternalUserName { get; set; } = "walkie-gateway";
    public string ExternalPassword { get; set; } = "";
    public bool ExternalTls { get; set; }

    /// <summary>Flood protection per badge: sustained messages per second and burst allowance.</summary>
    [Range(0.1, 1_000_000)]
    public double FloodMessagesPerSecond { get; set; } = 100;
    [Range(1, 1_000_000)]
    public double FloodBurst { get; set; } = 200;

    /// <summary>How often a badge's dropped-message warning may repeat.</summary>
    [Range(0.1, 86400)]
    public double FloodLogIntervalSeconds { get; set; } = 10;

    public bool IsExternal => string.Equals(Mode, "External", StringComparison.OrdinalIgnoreCase);
}
