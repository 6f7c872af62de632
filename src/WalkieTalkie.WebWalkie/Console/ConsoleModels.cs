using System.Text.Json;
using System.Text.Json.Serialization;

namespace WalkieTalkie.WebWalkie.Console;

public sealed record ConsoleBadge(string Id, string Name, string State, long PocketUntil, long LastSeenMs, int Battery, string BatteryTrend, int Rssi,
    string Firmware, int[] Channels, string Zone);

public sealed record ConsoleChannel(int Number, string Name, string? HolderId, string? Holder, long HolderSinceMs, bool Priority, int RetentionDays);

public sealed record ConsoleOverview(string Kind, long AtMs, bool Zones, ConsoleBadge[] Badges, ConsoleChannel[] Channels);

public sealed record RecordingChannel(int Number, string Name, int RetentionDays);

public sealed record RecordingRow(uint BurstId, int Channel, string TalkerId, string Talker, long StartedAtMs, long DurationMs, bool Complete, int FramesLost);

public sealed record RecordingsDay(string Day, bool Admin, RecordingChannel[] Channels, RecordingRow[] Recordings);

public sealed record Waveform(int DurationMs, int[] Points, int Scale);

public sealed record FloorRow(long AtMs, int Channel, string? ChannelName, string BadgeId, string Badge, string Kind, string Decision, string Reason, uint BurstId);

public sealed record FloorPage(int Page, bool More, FloorRow[] Decisions);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ConsoleOverview))]
[JsonSerializable(typeof(RecordingsDay))]
[JsonSerializable(typeof(Waveform))]
[JsonSerializable(typeof(FloorPage))]
public sealed partial class ConsoleWatchJson : JsonSerializerContext;
