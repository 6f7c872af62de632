namespace WalkieTalkie.Bridge.Ports;

/// <summary>Links gateway bursts to room events, durably: for read receipts, and so no voice message is played twice.</summary>
public interface IBurstIndex
{
    /// <summary>The link of a burst id, or null.</summary>
    BurstLink? Find(uint burstId);

    /// <summary>The link of an outbox transaction, or null.</summary>
    BurstLink? FindByTransaction(string transactionId);

    /// <summary>The link of a room event, or null.</summary>
    BurstLink? FindByEvent(string eventId);

    /// <summary>Adds or replaces the link of <see cref="BurstLink.BurstId"/>. Durable when it returns.</summary>
    void Save(BurstLink link);
}

/// <summary>A gateway burst and its room event.</summary>
/// <param name="BurstId">The gateway's burst id.</param>
/// <param name="Channel">The channel.</param>
/// <param name="TransactionId">The outbox transaction of a burst the gateway sent, or null for one that came from the room.</param>
/// <param name="EventId">The room event, once known.</param>
/// <param name="PendingReceipts">Badges that played the burst before its event id was known.</param>
public sealed record BurstLink(uint BurstId, string Channel, string? TransactionId, string? EventId, IReadOnlyList<string> PendingReceipts);
