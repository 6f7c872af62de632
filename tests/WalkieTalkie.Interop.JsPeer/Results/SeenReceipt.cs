namespace WalkieTalkie.Interop;

/// <summary>A receipt the server sent the peer in an <c>m.receipt</c> ephemeral event of /sync.</summary>
/// <param name="Type"><c>m.read</c> (or <c>m.read.private</c>, which only its own sender sees).</param>
/// <param name="ThreadId">Null for an unthreaded receipt, else <c>main</c> or a thread root.</param>
public sealed record SeenReceipt(string RoomId, string EventId, string Type, string UserId, long? Ts, string? ThreadId);
