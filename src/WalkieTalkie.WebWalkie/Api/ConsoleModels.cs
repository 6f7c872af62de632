using System.Text.Json;
using System.Text.Json.Serialization;

namespace WalkieTalkie.WebWalkie.Api;

public sealed record ConsoleMe(string? User, bool Admin, string[] Devices);

public sealed record BadgeRow(string Id, string Name, bool Priority, string Kind, int[] Channels);

public sealed record BadgesResponse(BadgeRow[] Badges);

/// <summary>A badge's secret with its provisioning file and QR code: in the answer that made it, never again.</summary>
public sealed record Provisioning(string BadgeId, string Secret, string FileName, string FileText, string QrPngBase64, string Command);

public sealed record NewBadgeRequest(string Id, string? Name, bool Priority);

public sealed record NameRequest(string Value);

public sealed record SwitchRequest(bool On);

public sealed record ChannelMember(string Id, string Name);

public sealed record ChannelRow(int Number, string Name, int SampleRate, int MaxTalkSeconds, int RetentionDays, bool EndTone, string? Room,
    ChannelMember[] Members, string? Granter = null);

public sealed record ChannelsResponse(ChannelRow[] Channels);

public sealed record NewChannelRequest(int Number, string Name, int SampleRate, int MaxTalkSeconds, int RetentionDays);

/// <summary>Only what changed is sent (nulls are left out): each change is one entry in the audit trail.</summary>
public sealed record ChannelSettingsRequest(string? Name, int? SampleRate, int? MaxTalkSeconds, int? RetentionDays, bool? EndTone);

public sealed record MemberRequest(string Badge);

/// <summary>A channel's room and granter; the password is sent once and never shown or kept by the page.</summary>
public sealed record ChannelLinkRequest(string Room, string Granter, string? GranterPassword)
{
    public override string ToString() => $"{nameof(ChannelLinkRequest)} {{ Room = {Room}, Granter = {Granter} }}";
}

/// <summary>The saved link and what was and was not done in the room (not invited, not enough power: said, not thrown).</summary>
public sealed record ChannelLinkResult(int Channel, string Room, bool Complete, string[] Done, string[] NotDone);

public sealed record PermitRow(string Badge, string Name, int Channel, string Offered, string Accepted, string InForce, bool Pending, bool Expired,
    long? Until, string OfferedBy, bool FromRoom);

public sealed record PermitsResponse(PermitRow[] Permits);

public sealed record NewPermitRequest(string Badge, int Channel, bool Receive, bool Send, long? Seconds, bool Accepted);

/// <summary>A Matrix device the linked room's permits name, as read from the room.</summary>
public sealed record RoomDeviceRow(string User, string Device, string? Badge, string Offered, long? Until, string? GrantedBy, bool Accepted, bool Pending,
    string InForce, bool Expired);

public sealed record RoomPermitsRow(int Channel, string Name, string Room, string? Error, RoomDeviceRow[] Devices);

public sealed record RoomPermitsResponse(RoomPermitsRow[] Rooms);

/// <summary>A Matrix device's permit in a linked channel's room; receive false withdraws it.</summary>
public sealed record DevicePermitRequest(int Channel, string Device, bool Receive, bool Send, long? Seconds);

public sealed record DevicePermitResult(string[] Lines);

public sealed record AuditEntry(long AtMs, string Actor, string Via, string Action, string Target, string Detail);

public sealed record AuditResponse(AuditEntry[] Entries);

/// <summary>A message a badge's Matrix account could not send: stuck after repeated failures (Retry puts it back) or refused by the homeserver.</summary>
public sealed record UnsentRow(long Id, string? Badge, string User, string Room, bool Stuck, bool Voice, int Attempts, string? Error);

public sealed record UnsentResponse(string Summary, UnsentRow[] Messages);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConsoleMe))]
[JsonSerializable(typeof(BadgesResponse))]
[JsonSerializable(typeof(UnsentResponse))]
[JsonSerializable(typeof(Provisioning))]
[JsonSerializable(typeof(NewBadgeRequest))]
[JsonSerializable(typeof(NameRequest))]
[JsonSerializable(typeof(SwitchRequest))]
[JsonSerializable(typeof(ChannelsResponse))]
[JsonSerializable(typeof(NewChannelRequest))]
[JsonSerializable(typeof(ChannelSettingsRequest))]
[JsonSerializable(typeof(MemberRequest))]
[JsonSerializable(typeof(ChannelLinkRequest))]
[JsonSerializable(typeof(ChannelLinkResult))]
[JsonSerializable(typeof(PermitsResponse))]
[JsonSerializable(typeof(NewPermitRequest))]
[JsonSerializable(typeof(AuditResponse))]
[JsonSerializable(typeof(RoomPermitsResponse))]
[JsonSerializable(typeof(DevicePermitRequest))]
[JsonSerializable(typeof(DevicePermitResult))]
internal sealed partial class ConsoleJson : JsonSerializerContext;
