using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Rooms;
using WalkieTalkie.Matrix.Sending;

namespace WalkieTalkie.Matrix.Device;

public sealed partial class MatrixDevice
{
    /// <summary>
    /// The outbox's last step before an entry's first send. In an encrypted room: the devices of every member are
    /// brought up to date, Olm sessions are set up where missing, the room key is shared with the devices that lack
    /// it, and the event is Megolm-encrypted; the crypto state is saved before the encrypted body is handed back (the
    /// outbox stores it and reuses it on every retry of the transaction).
    /// </summary>
    private async ValueTask<PreparedEvent> PrepareAsync(OutboxEntry entry, JsonObject content, CancellationToken cancellationToken)
    {
        var room = Rooms.Get(entry.RoomId);
        if (room is null)
        {
            await Rooms.LoadRoomAsync(_client, entry.RoomId, cancellationToken).ConfigureAwait(false);
            room = Rooms.Get(entry.RoomId)!;
        }
        if (room.Encryption is not { } encryption)
        {
            return new PreparedEvent(entry.EventType, content);
        }

        await _cryptoGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RotateWhereSettingsChanged();
            await ShareRoomKeyLockedAsync(room, encryption, cancellationToken).ConfigureAwait(false);
            var encrypted = _crypto.EncryptRoomEvent(room.RoomId, entry.EventType, content);
            _crypto.Save(null);
            return new PreparedEvent("m.room.encrypted", encrypted);
        }
        finally
        {
            _cryptoGate.Release();
        }
    }

    private async Task ShareRoomKeyLockedAsync(RoomState room, RoomEncryption encryption, CancellationToken cancellationToken)
    {
        // Invited users get the key too unless history is visible to joined members only: they read it once they join.
        var members = room.HistoryVisibility == "joined"
            ? room.JoinedUserIds
            : room.JoinedUserIds.Concat(room.InvitedUserIds).Distinct(StringComparer.Ordinal).ToList();

        // Each round performs what the machine asks for (queries, then claims, then the room key over Olm) and asks
        // again, until it has nothing left: then every member device that may have the key has it.
        for (var round = 0; round < 8; round++)
        {
            var requests = _crypto.ShareRoomKey(room.RoomId, members, encryption, room.HistoryVisibility);
            if (requests.Count == 0)
            {
                return;
            }
            // The Olm ratchets moved while encrypting the room key: saved before anything leaves.
            _crypto.Save(null);
            foreach (var request in requests)
            {
                await PerformLockedAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }
        throw new InvalidOperationException($"Sharing the room key of {room.RoomId} did not settle after eight rounds of requests.");
    }
}
