namespace WalkieTalkie.Gateway.Storage.Bridge;

/// <summary>A badge's Matrix account (<c>walkie badge link</c>).</summary>
public sealed record BadgeLink(string BadgeId, string UserId, string DeviceId);

/// <summary>A channel's room (<c>walkie channel link</c>).</summary>
public sealed record ChannelRoomLink(string Channel, string RoomId, string GranterUserId, uint FirstBurstId);

/// <summary>Which Matrix account each badge is (<c>walkie badge link</c>) and which room each channel is bridged to.</summary>
public interface IMatrixLinkStore
{
    void SaveBadge(BadgeLink link);

    /// <summary>
    /// Links a channel to a room; bursts from now on are bridged (older recordings are not sent). Linking a channel
    /// again to the same room keeps the burst it started at, so bursts waiting to be sent are not skipped.
    /// </summary>
    ChannelRoomLink SaveChannel(string channel, string roomId, string granterUserId);

    IReadOnlyList<BadgeLink> Badges();

    IReadOnlyList<ChannelRoomLink> Channels();

    /// <summary>The badges that are members of a channel (by name) and have a Matrix account.</summary>
    IReadOnlyList<BadgeLink> BadgesOf(string channel);

    /// <summary>
    /// The web devices of a channel (by name) that are a person's own Matrix device (the widget in Element, the standalone
    /// page signed in with Matrix): the gateway holds no session of their accounts, and their consent lives in the room.
    /// </summary>
    IReadOnlyList<BadgeLink> PersonalDevicesOf(string channel);
}
