namespace WalkieTalkie.TestHomeserver.State;

/// <summary>A user's receipt in a room: the latest per (user, type, thread) replaces the earlier one.</summary>
/// <param name="Position">Stream position at which it was made (a /sync since token covers it after that).</param>
/// <param name="ThreadId">Null for an unthreaded receipt; <c>main</c> or a thread root's event id otherwise.</param>
internal sealed record Receipt(long Position, string EventId, string Type, string UserId, long Ts, string? ThreadId);
