namespace WalkieTalkie.Gateway.Storage.Bridge;

/// <summary>The direct-message room between a badge's Matrix account and one person, and the channel it answers on.</summary>
/// <param name="BadgeId">The badge whose account is in the room.</param>
/// <param name="UserId">The person the badge answered.</param>
/// <param name="RoomId">The room.</param>
/// <param name="Channel">The channel number whose rate and floor the person's answers play with on the badge.</param>
public sealed record DirectRoom(string BadgeId, string UserId, string RoomId, byte Channel);

/// <summary>
/// Direct-message rooms the bridge made for private replies to Matrix users: made on first use, reused afterwards,
/// across restarts.
/// </summary>
public interface IDirectRoomStore
{
    /// <summary>The room between the badge's account and the user, or null when none was made yet.</summary>
    DirectRoom? Find(string badgeId, string userId);

    /// <summary>The direct room with this id, or null when it is not one of ours.</summary>
    DirectRoom? FindByRoom(string roomId);

    /// <summary>Keeps the room (and the channel of the latest reply in it). Durable when it returns.</summary>
    void Save(DirectRoom room);

    IReadOnlyList<DirectRoom> All();
}
