namespace WalkieTalkie.TestHomeserver.State;

/// <summary>A user's receipt in a room: the latest per (user, type, thread) replaces the earlier one. It was made at
/// stream position <c>Position</c> (a /sync since token at or after it has seen it); <c>ThreadId</c> is null for an
/// unthreaded receipt, else <c>main</c> or a thread root's event id.</summary>
internal sealed record Receipt(long Position, string EventId, string Type, string UserId, long Ts, string? ThreadId);
