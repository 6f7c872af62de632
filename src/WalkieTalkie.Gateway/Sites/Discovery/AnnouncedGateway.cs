namespace WalkieTalkie.Gateway.Sites.Discovery;

/// <summary>A gateway's announcement as read from a room's state, with the account that sent it.</summary>
public sealed record AnnouncedGateway(string RoomId, string Sender, GatewayAnnouncement Announcement);
