using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Rooms;
using WalkieTalkie.Matrix.Client.Sync;
using WalkieTalkie.Matrix.Sending;

namespace WalkieTalkie.Matrix.Device;

/// <summary>
/// One badge as a Matrix device: its <see cref="MatrixClient"/>, its crypto machine and key store, its outbox and
/// its sync loop, joined together.
/// <list type="bullet">
/// <item>Each sync answer goes into the crypto machine (to-device events, device-list changes, key counts); room
/// state is updated, encrypted room events are decrypted, and the crypto state is saved with the answer's
/// <c>next_batch</c> in one transaction before the loop moves on. Then the machine's outgoing requests (key upload,
/// query, claim, to-device) are performed and their answers handed back.</item>
/// <item>At start, the device uploads its keys and, once in its life, bootstraps a cross-signing identity and
/// signs itself with it (answering the server's password challenge where there is one).</item>
/// <item>Room events go out through the outbox; in an encrypted room they are Megolm-encrypted just before the
/// first send (the room key shared first with every member's devices), and the encrypted body is kept for retries.</item>
/// <item>Attachments are AES-256-CTR encrypted before upload in encrypted rooms, and downloaded and decrypted
/// (hash checked first) on the way in.</item>
/// </list>
/// </summary>
public sealed partial class MatrixDevice : ISyncResponseHandler, IAsyncDisposable
{
    private readonly MatrixClient _client;
    private readonly MatrixDeviceOptions _options;
    private readonly ILogger _logger;
    private readonly DeviceCrypto _crypto;
    private readonly SemaphoreSlim _cryptoGate = new(1, 1);
    private readonly Outbox _outbox;
    private readonly SyncLoop _syncLoop;
    private readonly RoomEventLog _received;
    private readonly List<ClientEvent> _awaitingKeys = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _syncTask;

    private MatrixDevice(MatrixClient client, MatrixDeviceOptions options, DeviceCrypto crypto, ILogger logger)
    {
        _client = client;
        _options = options;
        _crypto = crypto;
        _logger = logger;
        _received = new RoomEventLog(options.RecentEventCapacity);
        _outbox = new Outbox(client,
            new OutboxOptions { DatabasePath = options.OutboxPath, Owner = client.UserId + "|" + client.DeviceId, Backoff = options.OutboxBackoff },
            PrepareAsync, logger);
        _syncLoop = new SyncLoop(client, this, options.Sync, logger);
        Rooms.StateChanged += OnRoomStateChanged;
    }

    /// <summary>The account's client.</summary>
    public MatrixClient Client => _client;

    /// <summary>The rooms this device is in, as sync keeps them.</summary>
    public RoomStateTracker Rooms { get; } = new();

    /// <summary>This device's Ed25519 identity key (what others sign and check).</summary>
    public string Ed25519Key => _crypto.Ed25519Key;

    /// <summary>This device's Curve25519 identity key.</summary>
    public string Curve25519Key => _crypto.Curve25519Key;

    /// <summary>The outbox (for listing pending and failed entries).</summary>
    public Outbox Outbox => _outbox;

    /// <summary>Raised for each room event received (decrypted when it came encrypted), once it was saved. The sync token
    /// is committed by then: a subscriber that fails to keep the event loses it (use <see cref="ReceivedEventSink"/>).</summary>
    public event Action<DeviceRoomEvent>? RoomEventReceived;

    /// <summary>Takes each sync answer's room events before the answer is committed (set it before <see cref="StartAsync"/>):
    /// when it throws, the answer is not committed and comes again.</summary>
    public IReceivedEventSink? ReceivedEventSink { get; set; }

    /// <summary>
    /// Opens the device's key store (creating the crypto account on first start) for an account whose client already
    /// holds a session. Nothing is sent until <see cref="StartAsync"/>.
    /// </summary>
    public static async Task<MatrixDevice> OpenAsync(MatrixClient client, MatrixDeviceOptions options, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        if (client.Session is null)
        {
            throw new InvalidOperationException("The client needs a session before its device can be opened.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        logger ??= NullLogger.Instance;
        // Opening SQLite and reading the sealed state is short, local work.
        var crypto = await Task.Run(() => DeviceCrypto.Open(client.UserId, client.DeviceId, options, logger), cancellationToken)
            .ConfigureAwait(false);
        return new MatrixDevice(client, options, crypto, logger);
    }

    /// <summary>
    /// Uploads the device's keys, bootstraps cross-signing once, loads the state of the joined rooms, and starts the
    /// outbox and the sync loop (from the saved sync token).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_syncTask is not null)
        {
            return;
        }

        await FlushOutgoingRequestsAsync(cancellationToken).ConfigureAwait(false);
        await EnsureCrossSigningAsync(cancellationToken).ConfigureAwait(false);
        await Rooms.LoadAsync(_client, cancellationToken).ConfigureAwait(false);
        await TrackMembersAsync(Rooms.Rooms.Keys, cancellationToken).ConfigureAwait(false);
        _outbox.Start();
        var since = _crypto.SyncToken;
        _syncTask = Task.Run(() => RunSyncAsync(since, _stop.Token), CancellationToken.None);
    }

    /// <summary>Joins a room and loads its state.</summary>
    public async Task<string> JoinRoomAsync(string roomIdOrAlias, CancellationToken cancellationToken = default)
    {
        var roomId = await _client.JoinRoomAsync(roomIdOrAlias, cancellationToken: cancellationToken).ConfigureAwait(false);
        await Rooms.LoadRoomAsync(_client, roomId, cancellationToken).ConfigureAwait(false);
        await TrackMembersAsync([roomId], cancellationToken).ConfigureAwait(false);
        return roomId;
    }

    /// <summary>Starts following the members' device lists and queries them now.</summary>
    private async Task TrackMembersAsync(IEnumerable<string> roomIds, CancellationToken cancellationToken)
    {
        await _cryptoGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TrackMembers(roomIds.ToList());
            await FlushOutgoingRequestsLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _cryptoGate.Release();
        }
    }

    /// <summary>Queues a room event (encrypted on its way out when the room is encrypted). Returns once it is
    /// durably queued; see <see cref="WaitUntilSentAsync"/>.</summary>
    public Task<OutboxEntry> SendAsync(string roomId, string eventType, JsonObject content, CancellationToken cancellationToken = default) =>
        _outbox.EnqueueAsync(roomId, eventType, content, cancellationToken: cancellationToken);

    /// <summary>Queues a room event under the caller's transaction id, idempotently: an id this device's outbox already
    /// holds returns that entry and queues nothing (see <see cref="Outbox.EnqueueAsync(string, string, JsonObject, string, OutboxMedia?, CancellationToken)"/>).</summary>
    public Task<OutboxEntry> SendAsync(string roomId, string eventType, JsonObject content, string transactionId,
        CancellationToken cancellationToken = default) =>
        _outbox.EnqueueAsync(roomId, eventType, content, transactionId, cancellationToken: cancellationToken);

    /// <summary>Waits until the outbox has sent an entry; returns its event id. Throws when the server refused it for good or it became stuck.</summary>
    public async Task<string> WaitUntilSentAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSent(OutboxEntry e) { if (e.Id == entry.Id) { done.TrySetResult(e.EventId!); } }
        void OnFailed(OutboxEntry e) { if (e.Id == entry.Id) { done.TrySetException(Refused(e)); } }
        _outbox.EntrySent += OnSent;
        _outbox.EntryFailed += OnFailed;
        try
        {
            var now = (await _outbox.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Id == entry.Id);
            if (now?.State == OutboxState.Sent)
            {
                return now.EventId!;
            }

            if (now?.State is OutboxState.Failed or OutboxState.Stuck)
            {
                throw Refused(now);
            }

            return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _outbox.EntrySent -= OnSent;
            _outbox.EntryFailed -= OnFailed;
        }

        static InvalidOperationException Refused(OutboxEntry e) => e.State == OutboxState.Stuck
            ? new($"Outbox entry {e.Id} ({e.TransactionId}) is stuck (kept, not sent until retried): {e.Error}")
            : new($"The homeserver refused outbox entry {e.Id} ({e.TransactionId}) for good: {e.Error}");
    }

    /// <summary>Waits for a received room event matching <paramref name="match"/> (among the recent ones or a later one).</summary>
    public Task<DeviceRoomEvent> WaitForRoomEventAsync(Func<DeviceRoomEvent, bool> match, CancellationToken cancellationToken = default) =>
        _received.WaitAsync(match, cancellationToken);

    /// <summary>
    /// Cancels the outbox and the sync loop, their requests in flight included, at once on the calling thread, without
    /// waiting for the thread pool (what is pending stays queued); <see cref="DisposeAsync"/> still closes the rest. For a
    /// caller that must stop driving the device by a deadline: a gateway whose lease of the Matrix bridge ends.
    /// </summary>
    public void Halt()
    {
        _outbox.Halt();
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed already: nothing runs.
        }
    }

    /// <summary>Stops the sync loop and the outbox (what is pending stays queued) and closes the key store.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_syncTask is not null)
        {
            try { await _syncTask.ConfigureAwait(false); }
            catch (Exception failure) { _logger.LogDebug(failure, "Sync loop of {Device} ended with an error", Describe()); }
        }
        await _outbox.DisposeAsync().ConfigureAwait(false);
        await _cryptoGate.WaitAsync().ConfigureAwait(false);
        try { _crypto.Dispose(); }
        finally { _cryptoGate.Release(); }
        Rooms.StateChanged -= OnRoomStateChanged;
        _stop.Dispose();
    }

    private async Task RunSyncAsync(string? since, CancellationToken cancellationToken)
    {
        try
        {
            await _syncLoop.RunAsync(since, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogError(failure, "Sync loop of {Device} stopped: {Error}", Describe(), failure.Message);
            throw;
        }
    }

    private string Describe() => $"{_client.UserId}/{_client.DeviceId}";
}
