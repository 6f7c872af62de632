namespace WalkieTalkie.Matrix.Client.Rooms;

/// <summary>One <c>m.room.member</c> state: a user's membership (<c>join</c>, <c>invite</c>, <c>leave</c>, <c>ban</c>,
/// <c>knock</c>) and display name.</summary>
public sealed record RoomMember(string UserId, string Membership, string? DisplayName);
