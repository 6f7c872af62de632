using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sessions;

namespace WalkieTalkie.Matrix.Sending;

/// <summary>
/// A persistent queue of outgoing room events for one account. <c>EnqueueAsync</c> writes the event (and
/// its media) with a fresh transaction id, or the caller's (idempotently), to SQLite and returns; a single sender loop then sends the entries in
/// the order they were written, which keeps the order within every room.
/// <list type="bullet">
/// <item>A homeserver that is down, slow, or answers 5xx/429 delays entries, never loses them: the sender waits
/// (exponential backoff, Retry-After) and tries the same entry again with the same transaction id.</item>
/// <item>Never duplicated: the server answers a repeated transaction id with the first event's id, so a send
/// whose answer was lost (or a crash after the server accepted it) is repeated harmlessly.</item>
/// <item>Survives restarts: a new <see cref="Outbox"/> on the same database file resumes where the last one stopped.</item>
/// <item>A permanent refusal (4xx other than 429) marks the entry failed, with the error, keeps and logs it, and
/// the queue moves on. A rejected access token pauses the queue until a new session is taken into use.</item>
/// <item>Any other failure (the storage it writes to or its caller's storage unavailable, say) is transient: the
/// entry is kept and tried again after the same backoff. Once an entry is recorded as sent, a listener of
/// <see cref="EntrySent"/> that throws is logged and changes nothing.</item>
/// <item>An entry that keeps failing for a reason other than the homeserver being away (a crypto error every time)
/// is marked <see cref="OutboxState.Stuck"/> after <see cref="OutboxOptions.StuckAfter"/> and
/// <see cref="OutboxOptions.StuckAfterAttempts"/> (counted in the file, across restarts), once the entry behind it shows
/// that the outbox can send (it is sent, or fails for a reason of its own): kept whole, logged once, reported to
/// <see cref="EntryFailed"/>, and the queue goes on without it until a person puts it back (<see cref="RequeueAsync"/>,
/// or <see cref="OutboxFile.RequeueAsync"/> from another process, either of which wakes the sender at once). When the
/// entry behind fails alike (the homeserver answering 500 to everything), the homeserver is failing, not the entry:
/// nothing is marked stuck, and the entries go on their own, in order, once it recovers.</item>
/// </list>
/// </summary>
public sealed class Outbox : IAsyncDisposable
{
    private static readonly RetryPolicy SingleAttempt = new() { MaxAttempts = 1 };

    private readonly MatrixClient _client;
    private readonly OutboxStore _store;
    private readonly OutboxOptions _options;
    private readonly OutboxPreparer? _prepare;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private Task? _sender;
    private IDisposable? _requeues;
    // Set when the entry behind a failing head failed alike (the homeserver failing for everyone), until one is sent.
    private volatile bool _everyEntryFailing;

    /// <summary>Opens (or creates) the outbox in <see cref="OutboxOptions.DatabasePath"/>. Call <see cref="Start"/>
    /// to begin sending.</summary>
    /// <param name="client">The account's client.</param>
    /// <param name="options">Where the outbox lives and how it backs off.</param>
    /// <param name="prepare">Optional last step before the first send (encryption), see <see cref="OutboxPreparer"/>.</param>
    /// <param name="logger">Where failures are logged.</param>
    public Outbox(MatrixClient client, OutboxOptions options, OutboxPreparer? prepare = null, ILogger? logger = null)
    {
        _client = client;
        _options = options;
        _prepare = prepare;
        _logger = logger ?? NullLogger.Instance;
        _store = new OutboxStore(options.DatabasePath, options.Owner);
        _client.SessionChanged += OnSessionChanged;
    }

    /// <summary>What the sender is doing now.</summary>
    public OutboxStatus Status { get; private set; } = OutboxStatus.Stopped;

    /// <summary>Raised after an entry was sent (with its event id).</summary>
    public event Action<OutboxEntry>? EntrySent;

    /// <summary>Raised after an entry failed for good, or was marked stuck (its <see cref="OutboxEntry.State"/> says which).</summary>
    public event Action<OutboxEntry>? EntryFailed;

    /// <summary>
    /// Writes an event to the outbox with a fresh transaction id and returns once it is durably stored.
    /// <paramref name="media"/>, if given, is uploaded first and its mxc URI written into the content at
    /// <see cref="OutboxMedia.UriPath"/>.
    /// </summary>
    public Task<OutboxEntry> EnqueueAsync(string roomId, string eventType, JsonObject content, OutboxMedia? media = null,
        CancellationToken cancellationToken = default) =>
        EnqueueAsync(roomId, eventType, content, MatrixClient.NewTransactionId(), media, cancellationToken);

    /// <summary>
    /// Writes an event under the caller's transaction id and returns once it is durably stored. Idempotent: when this
    /// account's outbox already holds <paramref name="transactionId"/> (pending, sent or failed), nothing is written
    /// and that entry is returned, so a caller that crashed after enqueueing and before recording it (a bridge's
    /// mapping, say) can simply enqueue again. The id is the one sent to the homeserver, which is just as idempotent.
    /// </summary>
    /// <param name="roomId">The room.</param>
    /// <param name="eventType">The event type.</param>
    /// <param name="content">The content.</param>
    /// <param name="transactionId">The caller's id: unique per account, and allowed in a URL path segment
    /// (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>, <c>~</c>).</param>
    /// <param name="media">A file uploaded first, its mxc URI written into the content.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="InvalidOperationException">The id is already taken by an entry for another room or event type.</exception>
    public async Task<OutboxEntry> EnqueueAsync(string roomId, string eventType, JsonObject content, string transactionId,
        OutboxMedia? media = null, CancellationToken cancellationToken = default)
    {
        if (media is not null && string.IsNullOrWhiteSpace(media.UriPath))
        {
            throw new ArgumentException("Media needs the content path its mxc URI goes to (e.g. \"url\").", nameof(media));
        }

        if (string.IsNullOrEmpty(transactionId) || transactionId.Length > 255 || !transactionId.All(IsUnreservedUrlChar))
        {
            throw new ArgumentException($"A transaction id must be 1 to 255 of A-Z a-z 0-9 - _ . ~, not \"{transactionId}\".",
                nameof(transactionId));
        }

        var entry = await _store.AddAsync(roomId, transactionId, eventType, (JsonObject)content.DeepClone(),
            media, cancellationToken).ConfigureAwait(false);
        Wake();
        return entry;
    }

    private static bool IsUnreservedUrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~';

    /// <summary>Entries of one state (or all), oldest first.</summary>
    public Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxState? state = null, CancellationToken cancellationToken = default) =>
        _store.ListAsync(state, cancellationToken);

    /// <summary>Puts a failed or stuck entry back in the queue (it is sent before later entries, with its old
    /// transaction id, and may become stuck again after the same limit, counted afresh). Wakes the sender, and the
    /// other outboxes on the file.</summary>
    public async Task<bool> RequeueAsync(long id, CancellationToken cancellationToken = default)
    {
        var requeued = await _store.RequeueAsync(id, cancellationToken).ConfigureAwait(false);
        if (requeued)
        {
            Wake();
        }

        return requeued;
    }

    /// <summary>Starts the sender loop (once).</summary>
    public void Start()
    {
        if (_sender is not null)
        {
            return;
        }

        Status = OutboxStatus.Idle;
        _requeues = OutboxRequeueSignal.Listen(_options.DatabasePath, Wake, out var watched);
        if (!watched)
        {
            _logger.LogWarning("Outbox of {Owner} cannot watch {File} for entries put back by another process; it finds them within {Recheck}",
                _options.Owner, _options.DatabasePath + ".requeued", _options.IdleRecheck);
        }

        _sender = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Makes the sender look at the queue now (after a new session, say). Harmless at any time.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// Cancels the sender and its request in flight at once, on the calling thread, without waiting for the thread pool
    /// (an entry being sent stays pending, as at <see cref="DisposeAsync"/>, which still closes the rest). For a caller
    /// that must stop driving the account by a deadline: a gateway whose lease of the Matrix bridge ends.
    /// </summary>
    public void Halt()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed already: nothing runs.
        }
    }

    /// <summary>Stops the sender (an entry being sent stays pending and is sent again on the next start) and closes
    /// the database.</summary>
    public async ValueTask DisposeAsync()
    {
        _client.SessionChanged -= OnSessionChanged;
        _requeues?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_sender is not null)
        {
            await _sender.ConfigureAwait(false);
        }

        Status = OutboxStatus.Stopped;
        _store.Dispose();
        _stop.Dispose();
    }

    private void OnSessionChanged(MatrixSession session) => Wake();

    private async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var next = await _store.NextPendingAsync(ct).ConfigureAwait(false);
                if (next is null)
                {
                    Status = OutboxStatus.Idle;
                    await WaitIdleAsync(ct).ConfigureAwait(false);
                    continue;
                }
                if (_client.NeedsLogin || _client.Session is null)
                {
                    Status = OutboxStatus.NeedsLogin;
                    await _wake.Reader.ReadAsync(ct).ConfigureAwait(false);
                    continue;
                }

                Status = OutboxStatus.Sending;
                var (result, failure) = await TrySendAsync(next, ct).ConfigureAwait(false);
                if (result == SendResult.Sent)
                {
                    failures = 0;
                }

                if (result != SendResult.Failed)
                {
                    continue;
                }

                // Anything but the homeserver's refusal passes: the homeserver away, slow or busy, or the storage
                // the send writes to (this file, the key store) unavailable for a while. The entry stays pending and
                // goes again with the same transaction id, which the homeserver answers with the first event's id
                // when it had it already.
                failures++;
                if (await OnFailedAsync(next, failure!, ct).ConfigureAwait(false))
                {
                    failures = 0;
                    continue;
                }

                var delay = _options.Backoff.DelayFor(failures, (failure as MatrixException)?.RetryAfter);
                _logger.LogWarning("Outbox entry {Id} ({Txn}) not sent yet ({Error}); retrying in {Delay}",
                    next.Entry.Id, next.Entry.TransactionId, failure!.Message, delay);
                Status = _everyEntryFailing ? OutboxStatus.EveryEntryFailing : OutboxStatus.WaitingToRetry;
                await _client.Http.Options.Delay(delay, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception unexpected)
            {
                // The database itself failed (disk full, say): keep the loop alive and try again later.
                failures++;
                _logger.LogError(unexpected, "Outbox of {Owner} could not use its database", _options.Owner);
                Status = OutboxStatus.WaitingToRetry;
                try { await _client.Http.Options.Delay(_options.Backoff.DelayFor(failures, null), ct).ConfigureAwait(false); }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            }
        }
    }

    /// <summary>
    /// Sends one entry and settles what can be settled at once: sent (recorded and reported), refused for good (marked
    /// failed, reported), the token rejected (the next turn parks the loop). Any other failure is returned for the
    /// caller to weigh.
    /// </summary>
    private async Task<(SendResult Result, Exception? Failure)> TrySendAsync(StoredEntry entry, CancellationToken ct)
    {
        OutboxEntry sent;
        try
        {
            sent = await SendAsync(entry, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (MatrixException rejected) when (rejected.IsUnknownToken)
        {
            // The client has flagged NeedsLogin; the next turn parks the loop until a new session.
            _logger.LogError("Outbox of {Owner} paused: {Error}", _options.Owner, rejected.Message);
            return (SendResult.NeedsLogin, rejected);
        }
        catch (Exception failure) when (IsRefusal(failure))
        {
            await _store.MarkFailedAsync(entry.Entry.Id, failure.Message, ct).ConfigureAwait(false);
            _logger.LogError("Outbox entry {Id} ({Txn}) to {Room} failed for good and is kept as failed: {Error}",
                entry.Entry.Id, entry.Entry.TransactionId, entry.Entry.RoomId, failure.Message);
            Report(EntryFailed, entry.Entry with { State = OutboxState.Failed, Error = failure.Message }, "failed");
            return (SendResult.Refused, failure);
        }
        catch (Exception failure)
        {
            return (SendResult.Failed, failure);
        }

        if (_everyEntryFailing)
        {
            _everyEntryFailing = false;
            _logger.LogInformation("Outbox of {Owner} sends again: entry {Id} ({Txn}) went", _options.Owner, sent.Id, sent.TransactionId);
        }

        Report(EntrySent, sent, "sent");
        return (SendResult.Sent, null);
    }

    /// <summary>
    /// Records a transient failure of the entry at the head of the queue and, when the entry has reached the stuck
    /// limit, finds out whose fault it is by trying the entry behind it once: sent, or failing for a reason of its own,
    /// and the head is marked stuck (true when the queue went on, to look again at once); failing alike (the homeserver
    /// answering 500 to everything, say), and nothing is stuck: the head stays first and both wait, in order. With no
    /// entry behind it, the homeserver is asked who the account is (<c>/account/whoami</c>, once): an answer makes
    /// the head stuck, a failure leaves it pending.
    /// </summary>
    private async Task<bool> OnFailedAsync(StoredEntry head, Exception failure, CancellationToken ct)
    {
        if (IsHomeserverAway(failure))
        {
            await _store.RecordTransientFailureAsync(head.Entry.Id, failure.Message, ct).ConfigureAwait(false);
            return false;
        }

        var now = _options.Time.GetUtcNow();
        var (attempts, since) = await _store.RecordOwnFailureAsync(head.Entry.Id, failure.Message, now, ct).ConfigureAwait(false);
        if (attempts < _options.StuckAfterAttempts || now - since < _options.StuckAfter)
        {
            return false;
        }

        if (await _store.NextPendingAfterAsync(head.Entry.Id, ct).ConfigureAwait(false) is not { } behind)
        {
            // Alone in the queue: the homeserver answering this account at all tells the entry's fault from its outage.
            if (await HomeserverAnswersAsync(ct).ConfigureAwait(false))
            {
                await MarkStuckAsync(head, failure, attempts, now - since, ct).ConfigureAwait(false);
                return true;
            }

            EveryEntryFailing(head, failure);
            return false;
        }

        var (result, probeFailure) = await TrySendAsync(behind, ct).ConfigureAwait(false);
        switch (result)
        {
            case SendResult.Sent:
                await MarkStuckAsync(head, failure, attempts, now - since, ct).ConfigureAwait(false);
                return true;
            case SendResult.Failed when IsHomeserverAway(probeFailure!) || FailureKind(probeFailure!) == FailureKind(failure):
                await _store.RecordTransientFailureAsync(behind.Entry.Id, probeFailure!.Message, ct).ConfigureAwait(false);
                EveryEntryFailing(head, failure);
                return false;
            case SendResult.Failed:
                await _store.RecordOwnFailureAsync(behind.Entry.Id, probeFailure!.Message, now, ct).ConfigureAwait(false);
                await MarkStuckAsync(head, failure, attempts, now - since, ct).ConfigureAwait(false);
                return false;
            default:
                // Refused for good (settled as any refusal) or the token rejected: neither says whose fault the head's is.
                return false;
        }
    }

    private async Task<bool> HomeserverAnswersAsync(CancellationToken ct)
    {
        try
        {
            await _client.WhoAmIOnceAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private void EveryEntryFailing(StoredEntry head, Exception failure)
    {
        if (_everyEntryFailing)
        {
            return;
        }

        _everyEntryFailing = true;
        _logger.LogWarning("Outbox of {Owner}: the homeserver fails every request alike ({Error}), not entry {Id} alone; " +
            "nothing is marked stuck and the queue waits, in order", _options.Owner, failure.Message, head.Entry.Id);
    }

    private async Task MarkStuckAsync(StoredEntry head, Exception failure, int attempts, TimeSpan since, CancellationToken ct)
    {
        await _store.MarkStuckAsync(head.Entry.Id, failure.Message, ct).ConfigureAwait(false);
        _logger.LogError("Outbox entry {Id} ({Txn}) to {Room} could not be sent in {Attempts} attempts over {Minutes:F1} min while later " +
            "entries could, and is kept as stuck; later entries go on without it until a person retries it: {Error}",
            head.Entry.Id, head.Entry.TransactionId, head.Entry.RoomId, attempts, since.TotalMinutes, failure.Message);
        Report(EntryFailed, head.Entry with { State = OutboxState.Stuck, Error = failure.Message }, "stuck");
    }

    // Two failures are alike when the homeserver answered both with a server error (whatever its text), refused both
    // with the same code, or both are the same exception with the same message (the key store locked, say).
    private static string FailureKind(Exception failure) => failure switch
    {
        MatrixException { Status: >= HttpStatusCode.InternalServerError } => "homeserver 5xx",
        MatrixException m => $"{(int)m.Status} {m.ErrorCode}",
        _ => failure.GetType().FullName + ": " + failure.Message,
    };

    private enum SendResult
    {
        Sent,
        Refused,
        NeedsLogin,
        Failed,
    }

    // The homeserver not answering, or answering that it is busy or behind a proxy that cannot reach it: every entry
    // would fail alike, so this never counts towards making one stuck. A 500 and everything that is not the
    // homeserver's (a crypto error, the key store) counts, and the entry behind tells whose fault it is.
    private static bool IsHomeserverAway(Exception failure) =>
        failure is HttpRequestException or TimeoutException or TaskCanceledException
        || failure is MatrixException { IsRateLimited: true }
        || failure is MatrixException { Status: HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout };

    // Idle until woken (an enqueue, a new session) or, at the latest, IdleRecheck later: an entry put back by another
    // process (the CLI, on the same file) wakes nobody here.
    private async Task WaitIdleAsync(CancellationToken ct)
    {
        using var recheck = CancellationTokenSource.CreateLinkedTokenSource(ct);
        recheck.CancelAfter(_options.IdleRecheck);
        try
        {
            await _wake.Reader.ReadAsync(recheck.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }

    // Permanent: the homeserver refused the event for good (a 4xx other than 429 and a rejected token), or the entry
    // cannot be sent by anyone (its media is gone). A failure of anything else, storage included, is waited out.
    private static bool IsRefusal(Exception failure) =>
        failure is MatrixException { IsTransient: false } or OutboxEntryUnusableException;

    // The entry's state is settled before its listeners hear of it: a listener that fails (its own database away, say)
    // is logged and changes nothing here; the others are still told.
    private void Report(Action<OutboxEntry>? listeners, OutboxEntry entry, string what)
    {
        if (listeners is null)
        {
            return;
        }

        foreach (var listener in listeners.GetInvocationList().Cast<Action<OutboxEntry>>())
        {
            try
            {
                listener(entry);
            }
            catch (Exception failure)
            {
                _logger.LogWarning("Outbox entry {Id} ({Txn}) is {What}; a listener could not take the report: {Error}",
                    entry.Id, entry.TransactionId, what, failure.Message);
            }
        }
    }

    private async Task<OutboxEntry> SendAsync(StoredEntry stored, CancellationToken ct)
    {
        var entry = stored.Entry;
        var mediaUri = entry.MediaUri;
        if (entry.HasMedia && mediaUri is null)
        {
            var bytes = await _store.LoadMediaAsync(entry.Id, ct).ConfigureAwait(false)
                        ?? throw new OutboxEntryUnusableException($"Outbox entry {entry.Id} lost its media.");
            mediaUri = await _client.UploadMediaAsync(bytes, stored.MediaContentType, stored.MediaFileName, ct,
                RetryMode.Never).ConfigureAwait(false);
            await _store.SetMediaUriAsync(entry.Id, mediaUri, ct).ConfigureAwait(false);
        }

        var prepared = stored.Prepared;
        if (prepared is null)
        {
            var content = (JsonObject)entry.Content.DeepClone();
            if (mediaUri is not null && stored.MediaUriPath is not null)
            {
                SetAtPath(content, stored.MediaUriPath, mediaUri);
            }

            if (_prepare is null)
            {
                prepared = new PreparedEvent(entry.EventType, content);
            }
            else
            {
                prepared = await _prepare(entry with { MediaUri = mediaUri }, content, ct).ConfigureAwait(false);
                await _store.SetPreparedAsync(entry.Id, prepared, ct).ConfigureAwait(false);
            }
        }

        var eventId = await _client.SendRoomEventAsync(entry.RoomId, prepared.EventType, prepared.Content,
            entry.TransactionId, ct, SingleAttempt).ConfigureAwait(false);
        // Not cancellable: the server has the event; recording that must not be skipped by a stop request.
        await _store.MarkSentAsync(entry.Id, eventId, CancellationToken.None).ConfigureAwait(false);
        return entry with { State = OutboxState.Sent, EventId = eventId, MediaUri = mediaUri, Error = null };
    }

    private static void SetAtPath(JsonObject content, string path, string value)
    {
        var parts = path.Split('.');
        var node = content;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }
            node = child;
        }
        node[parts[^1]] = value;
    }
}
