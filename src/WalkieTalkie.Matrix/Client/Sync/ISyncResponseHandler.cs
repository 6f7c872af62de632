namespace WalkieTalkie.Matrix.Client.Sync;

/// <summary>
/// Receives each sync answer from <see cref="SyncLoop"/>. The handler alone persists
/// <see cref="SyncResponse.NextBatch"/>, in the same transaction as the state it derives from the answer
/// (crypto state above all: a to-device message cannot be decrypted twice). If it throws, nothing was
/// committed: the loop asks the server again with the old token and hands over the same events again.
/// </summary>
public interface ISyncResponseHandler
{
    /// <param name="response">The answer.</param>
    /// <param name="since">The token it was asked with (null on the first sync).</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    Task HandleAsync(SyncResponse response, string? since, CancellationToken cancellationToken);
}
