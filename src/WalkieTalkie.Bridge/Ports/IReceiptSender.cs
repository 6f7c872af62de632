namespace WalkieTalkie.Bridge.Ports;

/// <summary>The Matrix client's read receipts ("heard by").</summary>
public interface IReceiptSender
{
    /// <summary>Sends an <c>m.read</c> receipt for the event from the account. Retries on its own; idempotent.</summary>
    ValueTask SendReadReceiptAsync(string asUser, string roomId, string eventId, CancellationToken cancellationToken);
}
