namespace WalkieTalkie.Matrix.Sending;

/// <summary>
/// An outbox file as a person looks at it (<c>walkie badge outbox</c>), every account's entries at once, from another
/// process than the one sending: it lists the entries that wait for a person and puts one back in its queue. The
/// sending process is woken at once (a watched file beside the database; <see cref="OutboxOptions.IdleRecheck"/> where it cannot be watched).
/// </summary>
public sealed class OutboxFile : IDisposable
{
    private readonly OutboxStore _store;

    private OutboxFile(OutboxStore store) => _store = store;

    /// <summary>Opens an existing outbox file, or null when there is none (nothing was ever queued).</summary>
    public static OutboxFile? OpenExisting(string databasePath) =>
        File.Exists(databasePath) ? new OutboxFile(new OutboxStore(databasePath, owner: null)) : null;

    /// <summary>The stuck and failed entries of every account, oldest first, with their owner (user id | device id).</summary>
    public Task<IReadOnlyList<(string Owner, OutboxEntry Entry)>> WaitingForAPersonAsync(CancellationToken cancellationToken = default) =>
        _store.ListAllOwnersAsync([OutboxState.Stuck, OutboxState.Failed], cancellationToken);

    /// <summary>Puts a stuck or failed entry back in its account's queue; false when there is no such entry in either state.</summary>
    public Task<bool> RequeueAsync(long id, CancellationToken cancellationToken = default) => _store.RequeueAsync(id, cancellationToken);

    public void Dispose() => _store.Dispose();
}
