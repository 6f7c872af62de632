namespace WalkieTalkie.Bridge.Channels;

/// <summary>A channel bound to a room (<c>walkie channel link</c>).</summary>
/// <param name="Channel">The channel name.</param>
/// <param name="RoomId">The room.</param>
/// <param name="GranterUserId">The account the gateway writes permits from (it holds the permit power level).</param>
/// <param name="SampleRate">The channel's live rate, used until the room's channel event says otherwise.</param>
/// <param name="RequireSendPermit">
/// Play a voice message only when its sending device may send in the room when it sent it (design section 8: rights
/// are per device, Matrix devices included). Off, any member's voice message is played.
/// </param>
/// <param name="GatewayId">This gateway's id among the sites of the room, written into its bursts' voice messages; null when it has no sites.</param>
/// <param name="HeardLive">Other sites' bursts heard live here (their voice messages are not played again); null without sites.</param>
public sealed record ChannelLink(string Channel, string RoomId, string GranterUserId, int SampleRate, bool RequireSendPermit = true,
    string? GatewayId = null, Ports.IHeardLive? HeardLive = null);
