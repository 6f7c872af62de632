using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Matrix.Client.Rooms;
using WalkieTalkie.Matrix.Client.Sync;

namespace WalkieTalkie.Matrix.Device;

public sealed partial class MatrixDevice
{
    /// <summary>Encrypted events whose room key has not arrived yet are kept this many at most, oldest dropped.</summary>
    private const int MaxAwaitingKeys = 500;

    private readonly ConcurrentQueue<string> _roomsToRotate = new();

    /// <summary>Tests only: called after a sync answer was processed in memory, just before it is committed (throw to
    /// play a crash at the worst moment).</summary>
    internal Action<SyncResponse>? BeforeCommitForTests { get; set; }

    /// <summary>
    /// Takes one sync answer: crypto changes, room state, room events; then saves the crypto state and the answer's
    /// token in one transaction. If anything fails before that commit (the <see cref="ReceivedEventSink"/> included), the
    /// machine is reloaded from the store (so nothing it consumed counts as done) and the exception makes the loop ask
    /// again with the old token.
    /// </summary>
    public async Task HandleAsync(SyncResponse response, string? since, CancellationToken cancellationToken)
    {
        List<DeviceRoomEvent> received = [];
        await _cryptoGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var awaiting = new List<ClientEvent>(_awaitingKeys);
            try
            {
                _crypto.ReceiveSyncChanges(response);
                Rooms.Apply(response);
                TrackMembers(response.Rooms?.Join?.Keys ?? Enumerable.Empty<string>());
                RotateWhereSettingsChanged();
                foreach (var (roomId, joined) in response.Rooms?.Join ?? [])
                {
                    foreach (var e in joined.Timeline?.Items ?? [])
                    {
                        Receive(roomId, e, received, awaiting);
                    }
                }

                RetryAwaiting(received, awaiting);
                // Stored before the token moves past them: a sink that cannot store them (its database is away) fails
                // the answer, which then comes again, room keys included (the machine is read back below).
                if (received.Count > 0)
                {
                    ReceivedEventSink?.Keep(received);
                }

                BeforeCommitForTests?.Invoke(response);
                _crypto.Save(response.NextBatch);
            }
            catch
            {
                _crypto.Reload();
                throw;
            }
            _awaitingKeys.Clear();
            _awaitingKeys.AddRange(awaiting.TakeLast(MaxAwaitingKeys));
        }
        finally
        {
            _cryptoGate.Release();
        }

        // The answer is committed from here on: nothing below may fail the handler, or the loop would hand the same
        // answer over again after its token was saved.
        foreach (var e in received)
        {
            // Each subscriber on its own: one that throws must not keep the event from the others.
            foreach (var subscriber in RoomEventReceived?.GetInvocationList().Cast<Action<DeviceRoomEvent>>() ?? [])
            {
                try
                {
                    subscriber(e);
                }
                catch (Exception failure)
                {
                    _logger.LogError(failure, "A handler of room event {EventId} in {Room} failed", e.EventId, e.RoomId);
                }
            }
            // Waiters (WaitForRoomEventAsync) resume only after every subscriber has seen the event: a caller that
            // waited for it may rely on what the subscribers did (MatrixDeviceTests raced on this under load).
            _received.Add(e);
        }
        try
        {
            await FlushOutgoingRequestsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // What the machine still wants to send is asked for again after the next sync.
            _logger.LogWarning("Key requests of {Device} postponed: {Error}", Describe(), failure.Message);
        }
    }

    private void Receive(string roomId, ClientEvent e, List<DeviceRoomEvent> received, List<ClientEvent> awaiting)
    {
        if (e.IsState || e.EventId is null || e.Sender is null)
        {
            return;
        }

        if (e.Type != "m.room.encrypted")
        {
            received.Add(new DeviceRoomEvent(roomId, e.EventId, e.Sender, e.Type, e.Content, false, null, e.OriginServerTs));
            return;
        }
        var decrypted = _crypto.TryDecrypt(roomId, e, out var failure);
        if (decrypted is not null)
        {
            received.Add(decrypted);
        }
        else if (failure == DecryptFailure.MissingKey)
        {
            awaiting.Add(e with { RoomId = roomId });
        }
        else
        {
            _logger.LogWarning("Event {EventId} in {Room} from {Sender} cannot be decrypted: {Failure}", e.EventId, roomId, e.Sender, failure);
        }
    }

    /// <summary>Events that waited for their room key are tried again: the key may have come in this answer.</summary>
    private void RetryAwaiting(List<DeviceRoomEvent> received, List<ClientEvent> awaiting)
    {
        foreach (var e in awaiting.ToList())
        {
            if (received.Any(r => r.EventId == e.EventId)) { awaiting.Remove(e); continue; }
            var decrypted = _crypto.TryDecrypt(e.RoomId!, e, out var failure);
            if (decrypted is not null) { received.Add(decrypted); awaiting.Remove(e); }
            else if (failure != DecryptFailure.MissingKey)
            {
                awaiting.Remove(e);
            }
        }
    }

    /// <summary>History visibility or the encryption settings changed: the next message goes with a new Megolm session
    /// (membership changes are the machine's business: it rotates when a device that had the key is no longer a
    /// recipient).</summary>
    private void OnRoomStateChanged(RoomState room, ClientEvent change)
    {
        if (change.Type is "m.room.history_visibility" or "m.room.encryption")
        {
            _roomsToRotate.Enqueue(room.RoomId);
        }
    }

    /// <summary>Follows the device lists of everyone in these rooms, when encrypted (as Matrix clients do on join), so
    /// that the senders of room keys are known devices whose cross-signing can be checked.</summary>
    private void TrackMembers(IEnumerable<string> roomIds)
    {
        foreach (var roomId in roomIds)
        {
            if (Rooms.Get(roomId) is { IsEncrypted: true, Membership: "join" } room)
            {
                _crypto.TrackUsers(room.JoinedUserIds.Concat(room.InvitedUserIds));
            }
        }
    }

    private void RotateWhereSettingsChanged()
    {
        while (_roomsToRotate.TryDequeue(out var roomId))
        {
            _crypto.DiscardRoomSession(roomId);
        }
    }
}
