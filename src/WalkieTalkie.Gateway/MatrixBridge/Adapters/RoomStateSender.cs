using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Http;

namespace WalkieTalkie.Gateway.MatrixBridge.Adapters;

/// <summary>
/// Sends the mirror's state events (<c>accept</c> from a badge's account, <c>permit</c> from the granting account) on
/// a loop of its own, so that a homeserver that is away never holds the bridge. The device outbox carries room
/// messages only, so state events are not durable here: that is safe because the mirror plans again from both
/// durable sides (the registry and the room's state) at every start, every registry change and every
/// <see cref="MatrixBridgeOptions.PermitRereadSeconds"/>, and a state event that failed is planned, and sent, again.
/// An event sent once is not sent again (by its transaction id, which the plan derives from what it says).
/// </summary>
public sealed class RoomStateSender : IAsyncDisposable
{
    private readonly Func<string, MatrixClient?> _accountOf;
    private readonly ILogger _logger;
    private readonly Channel<OutboxMessage> _queue = Channel.CreateUnbounded<OutboxMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _queuedOrSent = [];
    private readonly HashSet<string> _warnedAccounts = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts the sending loop.</summary>
    /// <param name="accountOf">The client of an account the gateway holds a session for, or null.</param>
    /// <param name="logger">Where refusals are logged.</param>
    public RoomStateSender(Func<string, MatrixClient?> accountOf, ILogger logger)
    {
        _accountOf = accountOf;
        _logger = logger;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Queues a state event; returns at once. A transaction already queued or sent is ignored.</summary>
    public void Enqueue(OutboxMessage message)
    {
        lock (_queuedOrSent)
        {
            if (!_queuedOrSent.Add(message.TransactionId))
            {
                return;
            }
        }

        _queue.Writer.TryWrite(message);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(ct))
            {
                var client = _accountOf(message.SendAs);
                if (client is null)
                {
                    lock (_warnedAccounts)
                    {
                        if (_warnedAccounts.Add(message.SendAs))
                        {
                            _logger.LogWarning("State events from {Account} are not sent: the gateway holds no session for it " +
                                "(a badge account, or the granter given to walkie channel link --granter-password)", message.SendAs);
                        }
                    }

                    Forget(message);
                    continue;
                }
                try
                {
                    var eventId = await client.SendStateEventAsync(message.RoomId, message.EventType, message.Content, message.StateKey ?? "", ct);
                    _logger.LogInformation("Sent {Type} {Key} to {Room} from {Account}: {Event}", message.EventType, message.StateKey,
                        message.RoomId, message.SendAs, eventId);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    var refused = e is MatrixException { IsTransient: false };
                    _logger.LogWarning("{Type} {Key} from {Account} not sent to {Room} ({Kind}): {Error}", message.EventType, message.StateKey,
                        message.SendAs, message.RoomId, refused ? "refused" : "will be planned again", e.Message);
                    Forget(message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    // A transaction that was not sent may be planned again (same id) and must then go out.
    private void Forget(OutboxMessage message)
    {
        lock (_queuedOrSent)
        {
            _queuedOrSent.Remove(message.TransactionId);
        }
    }

    /// <summary>Stops the loop (what is still queued is planned again at the next start).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}

/// <summary>
/// The bridge's <see cref="IRoomSender"/>: room messages through the badge device's durable outbox
/// (<see cref="DeviceRoomSender"/>), state events through <see cref="RoomStateSender"/>.
/// </summary>
public sealed class BridgeRoomSender(DeviceRoomSender messages, RoomStateSender state) : IRoomSender
{
    /// <inheritdoc />
    public ValueTask EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (message.StateKey is null)
        {
            return messages.EnqueueAsync(message, cancellationToken);
        }

        state.Enqueue(message);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<string?> SentEventIdAsync(string transactionId, CancellationToken cancellationToken) =>
        messages.SentEventIdAsync(transactionId, cancellationToken);
}
