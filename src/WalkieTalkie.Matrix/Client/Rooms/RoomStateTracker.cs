using System.Collections.Immutable;
using WalkieTalkie.Matrix.Client.Sync;

namespace WalkieTalkie.Matrix.Client.Rooms;

/// <summary>
/// Keeps the current state of every room the account is in, from a full load (<see cref="LoadAsync"/>) and then
/// from each sync answer (<see cref="Apply"/>). Applying is idempotent: the same sync answer applied twice (a
/// sync handler that failed and was retried) leaves the same state.
/// </summary>
public sealed class RoomStateTracker
{
    private readonly object _gate = new();
    private ImmutableDictionary<string, RoomState> _rooms = ImmutableDictionary<string, RoomState>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Raised after a state event changed a room (outside the tracker's lock).</summary>
    public event Action<RoomState, ClientEvent>? StateChanged;

    /// <summary>All known rooms.</summary>
    public IReadOnlyDictionary<string, RoomState> Rooms => _rooms;

    /// <summary>The room's state, or null if unknown.</summary>
    public RoomState? Get(string roomId) => _rooms.TryGetValue(roomId, out var r) ? r : null;

    /// <summary>Loads the full state of every joined room from the server (at start-up: sync with a stored token
    /// only brings changes since then).</summary>
    public async Task LoadAsync(MatrixClient client, CancellationToken cancellationToken = default)
    {
        foreach (var roomId in await client.GetJoinedRoomsAsync(cancellationToken).ConfigureAwait(false))
        {
            await LoadRoomAsync(client, roomId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Loads one room's full state (after joining it, say).</summary>
    public async Task LoadRoomAsync(MatrixClient client, string roomId, CancellationToken cancellationToken = default)
    {
        var events = await client.GetRoomStateAsync(roomId, cancellationToken).ConfigureAwait(false);
        Update(roomId, "join", events, replaceAll: true);
    }

    /// <summary>Applies one sync answer: state first, then the timeline's state events in order, so the latest wins.</summary>
    public void Apply(SyncResponse sync)
    {
        if (sync.Rooms is not { } rooms)
        {
            return;
        }

        foreach (var (roomId, joined) in rooms.Join ?? [])
        {
            Update(roomId, "join", (joined.State?.Items ?? []).Concat(StateOnly(joined.Timeline)), replaceAll: false);
        }

        foreach (var (roomId, invited) in rooms.Invite ?? [])
        {
            Update(roomId, "invite", invited.InviteState?.Items ?? [], replaceAll: false);
        }

        foreach (var (roomId, left) in rooms.Leave ?? [])
        {
            Update(roomId, "leave", (left.State?.Items ?? []).Concat(StateOnly(left.Timeline)), replaceAll: false);
        }
    }

    private static IEnumerable<ClientEvent> StateOnly(Timeline? timeline) =>
        (timeline?.Items ?? []).Where(e => e.IsState);

    private void Update(string roomId, string membership, IEnumerable<ClientEvent> events, bool replaceAll)
    {
        var changed = new List<ClientEvent>();
        RoomState updated;
        lock (_gate)
        {
            var current = Get(roomId);
            var state = replaceAll || current is null
                ? ImmutableDictionary<(string, string), ClientEvent>.Empty
                : current.Events;
            var builder = state.ToBuilder();
            if (replaceAll && current?.Get("m.room.encryption") is { } known && RoomEncryption.Parse(known.Content) is not null)
            {
                builder[("m.room.encryption", "")] = known;
            }

            foreach (var e in events)
            {
                if (e.StateKey is null)
                {
                    continue;
                }

                var key = (e.Type, e.StateKey);
                // Encryption can be switched on, never off: an m.room.encryption without an algorithm is ignored
                // once the room is encrypted, so nobody with state power can silently downgrade it.
                if (e.Type == "m.room.encryption" && RoomEncryption.Parse(e.Content) is null
                    && builder.TryGetValue(key, out var existing) && RoomEncryption.Parse(existing.Content) is not null)
                {
                    continue;
                }

                if (builder.TryGetValue(key, out var old) && old.EventId is not null && old.EventId == e.EventId)
                {
                    continue;
                }

                builder[key] = e;
                changed.Add(e);
            }
            updated = current is null
                ? new RoomState(roomId, membership, builder.ToImmutable())
                : current.With(membership, builder.ToImmutable());
            _rooms = _rooms.SetItem(roomId, updated);
        }
        foreach (var e in changed)
        {
            StateChanged?.Invoke(updated, e);
        }
    }
}
