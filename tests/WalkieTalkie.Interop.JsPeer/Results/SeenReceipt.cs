namespace WalkieTalkie.Interop;

/// <summary>A receipt the server sent the peer in an <c>m.receipt</c> ephemeral event of /sync.</summary>
/// <param name="RoomId">The room (null only if the peer never saw the event).</param>
/// <param name="EventId">The event read up to.</param>
/// <param name="Type"><c>m.read</c> (or <c>m.read.private</c>, which only its own sender sees).</param>
/// <param name="UserId">Who read it.</param>
/// <param name="Ts">The server's timestamp of the receipt (ms since the epoch).</param>
/// <param name="ThreadId">Null for an unthreaded receipt, else <c>main</c> or a thread root.</param>
public sealed record SeenReceipt(string? RoomId, string EventId, string Type, string UserId, long? Ts, string? ThreadId);
