namespace WalkieTalkie.Gateway.Web.Console;

/// <summary>
/// A badge as the live overview shows it. <paramref name="State"/> is <c>talking</c> while it holds a floor, else the
/// engine's presence (<c>listening</c>, <c>idle</c>, <c>standby</c>, <c>pocket</c> until <paramref name="PocketUntil"/>
/// (Unix s), <c>offline</c> since <paramref name="LastSeenMs"/>); <paramref name="BatteryTrend"/> compares the battery
/// with the last different reading (<c>falling</c>, <c>rising</c>, or empty before it changed).
/// </summary>
public sealed record ConsoleBadgeView(string Id, string Name, string State, long PocketUntil, long LastSeenMs, int Battery, string BatteryTrend,
    int Rssi, string Firmware, int[] Channels, string Zone);

/// <summary>A channel and who holds its floor now (null when free), since when (Unix ms).</summary>
public sealed record ConsoleChannelView(byte Number, string Name, string? HolderId, string? Holder, long HolderSinceMs, bool Priority, int RetentionDays);

/// <summary>
/// One message of the overview's live stream: <c>snapshot</c> (everything the user sees) or <c>update</c> (only what
/// changed since the last message); <paramref name="AtMs"/> is when the gateway sent it.
/// </summary>
public sealed record ConsoleOverview(string Kind, long AtMs, bool Zones, IReadOnlyList<ConsoleBadgeView> Badges, IReadOnlyList<ConsoleChannelView> Channels);
