namespace WalkieTalkie.Matrix.Sending;

/// <summary>An outbox entry that no attempt can send (its media is gone from the outbox's file): it is marked failed
/// rather than tried for ever.</summary>
public sealed class OutboxEntryUnusableException(string message) : Exception(message);
