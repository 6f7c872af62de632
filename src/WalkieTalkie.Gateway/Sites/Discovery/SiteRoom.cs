namespace WalkieTalkie.Gateway.Sites.Discovery;

/// <summary>A room this gateway serves: the channel linked to it here and the granter account that speaks for the gateway in it.</summary>
public sealed record SiteRoom(string RoomId, byte Channel, string GranterUserId);
