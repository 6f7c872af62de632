using System.Security.Cryptography.X509Certificates;
using WalkieTalkie.Badge.Machine;

namespace WalkieTalkie.Badge.Simulation;

/// <summary>Everything one virtual badge needs. Only <see cref="Id"/> and <see cref="Channels"/> are required.</summary>
public sealed class VirtualBadgeSettings
{
    /// <summary>The badge id: MQTT client id, user name (unless <see cref="Username"/> is set) and topic segment.</summary>
    public required string Id { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 1883;

    /// <summary>
    /// The site certificate, the badge's trust anchor as provisioned on a device (<c>ca.pem</c>). When set, the badge
    /// connects with TLS and accepts only a server certificate that chains to it and carries <see cref="ServerName"/>.
    /// Null: plain TCP (a gateway in development mode).
    /// </summary>
    public X509Certificate2? TrustAnchor { get; init; }

    /// <summary>The name the broker's certificate must carry (the device's broker host); <see cref="Host"/> when null.</summary>
    public string? ServerName { get; init; }

    /// <summary>The MQTT user name; the badge id when null.</summary>
    public string? Username { get; init; }

    /// <summary>The badge's secret, sent as the MQTT password (none when null).</summary>
    public string? Password { get; init; }

    /// <summary>The channels the badge starts with (as a cached <c>config</c> of version 0); the gateway's <c>config</c> replaces them.</summary>
    public IReadOnlyList<VirtualChannel> Channels { get; init; } = [new VirtualChannel(1)];

    /// <summary>
    /// What the microphone hears: a WAV file (16-bit PCM or IMA ADPCM, mono, any rate; other formats through ffmpeg
    /// when it is installed). Each talk burst continues where the last one stopped; after the end, silence. Null: silence.
    /// </summary>
    public string? MicWav { get; init; }

    /// <summary>Where to write what the speaker played, on the run's timeline (silence where nothing played). Null: not kept.</summary>
    public string? OutputWav { get; init; }

    /// <summary>A log of what the badge does, one line per event. Null: only <see cref="VirtualBadgeFleet.Log"/>.</summary>
    public string? LogFile { get; init; }

    /// <summary>
    /// When push-to-talk is held, counted from the moment every badge of the fleet was connected
    /// (<see cref="VirtualBadgeFleet.ScriptOrigin"/>). The keyboard (or <see cref="VirtualBadge.SetTalk"/>) can hold it too.
    /// </summary>
    public PttScript Ptt { get; init; } = PttScript.None;

    /// <summary>
    /// How much audio the speaker may hold ahead of what sounds (at least one block). The device holds about one block;
    /// 80 ms default here, because a PC shared with other work may not run the badges' thread for tens of milliseconds,
    /// and a speaker that runs dry shifts the rest of the burst in time.
    /// </summary>
    public int SpeakerQueueMilliseconds { get; init; } = 80;

    /// <summary>
    /// The Wi-Fi signal the badge reports in its <c>badge-state</c>, in dBm (negative); 0 (the default) reports it as
    /// unknown. A virtual badge has no radio: this lets a test or a demo show a weak or a strong one.
    /// </summary>
    public int Rssi { get; init; }

    /// <summary>The badge's tunables; null takes <see cref="DefaultTunables"/>.</summary>
    public BadgeOptions? Tunables { get; init; }

    /// <summary>
    /// The badge's defaults, except: a connection attempt is retried after 100 ms (the MQTTnet client connects in the
    /// background, so the first attempt only starts it), and standby after 30 s as on the device.
    /// </summary>
    public static BadgeOptions DefaultTunables() => new() { ReconnectDelayMilliseconds = 100 };
}
