namespace WalkieTalkie.Gateway.Storage.Bridge;

/// <summary>
/// Which account's outbox entry carries each of the bridge's transaction ids: so that the bridge can ask the right
/// device whether a message went, and map the outbox's "sent" reports back to its own ids.
/// </summary>
public interface IOutboxMap
{
    /// <summary>Maps a transaction id to its entry; a second mapping of the same id is ignored.</summary>
    void Save(string transactionId, string userId, long outboxEntryId);

    (string UserId, long EntryId)? Find(string transactionId);

    /// <summary>The bridge's transaction id of an outbox entry of an account, or null when the bridge did not send it.</summary>
    string? TransactionOf(string userId, long outboxEntryId);
}
