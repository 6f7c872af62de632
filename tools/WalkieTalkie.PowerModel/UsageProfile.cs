namespace WalkieTalkie.PowerModel;

/// <summary>The two idle modes of the design: connected in modem sleep, or in deep sleep with timed check-ins.</summary>
public enum IdleMode
{
    Standby,
    Pocket,
}

/// <summary>How a badge is used in an hour, and how it idles the rest of the hour.</summary>
public sealed record UsageProfile
{
    public string Name { get; init; } = "";

    public IdleMode Mode { get; init; }

    public double TalkMinutesPerHour { get; init; }

    public double ListenMinutesPerHour { get; init; }

    /// <summary>Pocket mode: seconds between timer wakes.</summary>
    public double? CheckInSeconds { get; init; }

    /// <summary>Pocket mode: seconds awake per check-in (boot, reconnect, fetch, announce).</summary>
    public double? AwakeSecondsPerCheckIn { get; init; }
}
