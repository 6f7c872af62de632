using System.ComponentModel.DataAnnotations;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>Service settings (configuration section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    /// <summary>Where the database, recordings, recording key and site certificate live (owner-only: 0700, files 0600).</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "walkie-data";

    /// <summary>
    /// Development mode (<c>walkie run --dev</c>): the plain ports (<c>Mqtt:Port</c>, <c>Http:Port</c>) may open, with a
    /// warning. Off, only TLS listens.
    /// </summary>
    public bool Development { get; set; }

    /// <summary>The SQLite file; default <c>{DataDirectory}/walkie.db</c>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>Recordings root; default <c>{DataDirectory}/recordings</c>.</summary>
    public string? RecordingsDirectory { get; set; }

    /// <summary>
    /// The recording key's file (<c>RecordingKeyFile</c>); default <c>{DataDirectory}/recording.key</c>. Gateways that
    /// share a recordings folder name one key file they both see, so that each can read and recover the other's
    /// recordings (docs/scale.md).
    /// </summary>
    public string? RecordingKeyFile { get; set; }

    /// <summary>How often a pocket badge checks in (sent in <c>config</c>).</summary>
    [Range(0, ushort.MaxValue)]
    public int CheckInSeconds { get; set; } = 300;

    /// <summary>The check-in interval of pocket badges on an open emergency's channels, while it is open.</summary>
    [Range(5, 65535)]
    public int EmergencyCheckInSeconds { get; set; } = 30;

    /// <summary>ADPCM blocks per MQTT message the badges send (sent in <c>config</c>).</summary>
    [Range(1, 8)]
    public int BlocksPerFrame { get; set; } = 1;

    /// <summary>
    /// Frames a recording (or a late listener's catch-up) is sent ahead of real time: sent at once, then one a frame's
    /// duration. A badge plays in real time and holds 8 frames, so more ahead than that would be given up (1 to 7).
    /// </summary>
    [Range(1, 7)]
    public int ReplayLeadFrames { get; set; } = 4;

    /// <summary>How long a voice message restored after a restart waits for a listener who can hear it live (seconds).</summary>
    [Range(0, 300)]
    public int RestoredMessageWaitSeconds { get; set; } = 10;

    /// <summary>Voice messages (from Matrix) that may wait for a channel's floor; one more is refused until one plays.</summary>
    [Range(1, 1000)]
    public int MaxQueuedMessages { get; set; } = 16;

    /// <summary>A badge's battery at or below this percentage raises the low-battery alert, once per discharge.</summary>
    [Range(1, 99)]
    public int LowBatteryPercent { get; set; } = 15;

    /// <summary>How often the registry's change counter is polled for CLI changes on SQLite when its change file cannot be
    /// watched (else <see cref="StorageOptions.FallbackPollSeconds"/>).</summary>
    [Range(0.05, 3600)]
    public double ReloadSeconds { get; set; } = 1.0;

    /// <summary>How often recordings past their channel's retention are looked for and deleted (also at every start).</summary>
    [Range(1, 24 * 60)]
    public double RetentionCheckMinutes { get; set; } = 60;
    /// <summary>
    /// Keep where each badge is (the access point it reports, mapped to a zone by <c>walkie zone</c>). Off by
    /// default for privacy: while off, reports are dropped and what was kept is deleted at start.
    /// </summary>
    public bool Zones { get; set; }

    public string ResolveDatabasePath() => DatabasePath ?? Path.Combine(DataDirectory, "walkie.db");

    public string ResolveRecordingsDirectory() => RecordingsDirectory ?? Path.Combine(DataDirectory, "recordings");

    public string ResolveRecordingKeyFile() => RecordingKeyFile ?? Path.Combine(DataDirectory, Security.RecordingKeyFile.FileName);
}
