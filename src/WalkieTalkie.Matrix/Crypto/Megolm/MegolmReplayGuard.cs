namespace WalkieTalkie.Matrix.Crypto.Megolm;

/// <summary>The spec's replay protection for Megolm: each (room, session id, message index) may belong to one
/// event only. The same event decrypted again (a re-sync, a timeline reload) is fine; a different event with a
/// used index is refused. The key store persists the entries (<see cref="Entries"/>).</summary>
public sealed class MegolmReplayGuard
{
    private readonly Dictionary<(string RoomId, string SessionId, uint Index), (string EventId, long Timestamp)> _seen = new();

    /// <summary>Records the index for the event, or throws if another event used it.</summary>
    /// <exception cref="MatrixCryptoException"><see cref="CryptoError.ReplayedMessage"/></exception>
    public void Check(string roomId, string sessionId, uint index, string eventId, long originServerTs)
    {
        var key = (roomId, sessionId, index);
        if (_seen.TryGetValue(key, out var seen))
        {
            if (seen.EventId != eventId)
            {
                throw new MatrixCryptoException(CryptoError.ReplayedMessage,
                    $"Megolm index {index} of session {sessionId} was already used by {seen.EventId}");
            }

            return;
        }
        _seen[key] = (eventId, originServerTs);
    }

    /// <summary>Everything recorded, for saving.</summary>
    public IEnumerable<MegolmReplayEntry> Entries =>
        _seen.Select(e => new MegolmReplayEntry(e.Key.RoomId, e.Key.SessionId, e.Key.Index, e.Value.EventId, e.Value.Timestamp));

    /// <summary>Restores a saved entry.</summary>
    public void Restore(MegolmReplayEntry entry) =>
        _seen[(entry.RoomId, entry.SessionId, entry.MessageIndex)] = (entry.EventId, entry.OriginServerTs);
}

/// <summary>One used Megolm index.</summary>
public sealed record MegolmReplayEntry(string RoomId, string SessionId, uint MessageIndex, string EventId, long OriginServerTs);
