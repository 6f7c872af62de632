namespace WalkieTalkie.Gateway.Storage;

/// <summary>A provisioned badge. The secret itself is never stored, only its hash.</summary>
public sealed record BadgeRecord(string Id, string Name, string SecretHash, bool Priority);

/// <summary>
/// A channel: its number on this gateway (0-255), sample rate (8000 or 16000), talk limit, how many days its
/// recordings are kept (0: for good), and whether its listeners hear the end-of-burst tone.
/// </summary>
public sealed record ChannelRecord(byte Number, string Name, int SampleRate, int MaxTalkSeconds, int RetentionDays = ChannelRecord.DefaultRetentionDays,
    bool EndTone = true)
{
    public const int DefaultRetentionDays = 30;

    /// <summary>The longest retention that can be set (100 years); 0 keeps recordings for good.</summary>
    public const int MaxRetentionDays = 36500;
}

/// <summary>
/// What a badge may do on a channel (MSC4002): the permits offered to it, the part it accepted, and until when
/// (Unix seconds; 0 for good). Only accepted, unexpired permits count.
/// </summary>
public sealed record PermitRecord(string BadgeId, byte Channel, byte Offered, byte Accepted, long Until, string OfferedBy, bool OfferSent)
{
    public bool IsExpired(DateTimeOffset now) => Until != 0 && Until <= now.ToUnixTimeSeconds();

    /// <summary>The permits in force now: accepted, still offered, not expired.</summary>
    public byte Effective(DateTimeOffset now) => IsExpired(now) ? (byte)0 : (byte)(Accepted & Offered);
}

/// <summary>A recorded burst.</summary>
public sealed record RecordingRecord(
    uint BurstId, byte Channel, string BadgeId, long StartedAtMs, long DurationMs, int FramesReceived, int FramesLost,
    bool Complete, string Path, int SampleRate, int BlockBytes, int EndReason)
{
    /// <summary>The one badge a private reply was for; empty for a channel burst.</summary>
    public string PrivateTo { get; init; } = "";
}

/// <summary>The talker a badge last heard on a channel (a <c>Talker</c> key).</summary>
public sealed record LastTalkerRecord(string BadgeId, byte Channel, string TalkerKey, string? MatrixUserId = null);

/// <summary>A floor decision as kept for <c>walkie status</c>.</summary>
public sealed record FloorDecisionRecord(long AtMs, byte Channel, string BadgeId, string Decision, string Reason, uint BurstId);

/// <summary>Who holds a channel's floor, as last written by the service.</summary>
public sealed record FloorHolderRecord(byte Channel, string BadgeId, uint BurstId, long SinceMs);

/// <summary>A badge's last known presence, as last written by the service.</summary>
public sealed record PresenceRecord(string BadgeId, string State, long UntilSeconds, long LastSeenMs, int BatteryPercent, int Rssi, string Firmware);
