using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace WalkieTalkie.TestHomeserver.State;

/// <summary>
/// Everything the homeserver knows, in memory, behind one lock. Every change that a /sync may report takes the
/// next position of a single stream and wakes the waiting long-polls; a since token is a stream position.
/// </summary>
internal sealed class HomeserverState(string serverName, TimeProvider clock)
{
    public readonly Lock Gate = new();
    public string ServerName { get; } = serverName;
    public TimeProvider Clock { get; } = clock;

    public Dictionary<string, Account> Accounts { get; } = new();
    public Dictionary<string, Device> DevicesByToken { get; } = new();
    public Dictionary<string, Room> Rooms { get; } = new();
    public Dictionary<string, string> Aliases { get; } = new();
    public Dictionary<string, MediaItem> Media { get; } = new();
    public Dictionary<string, OpenIdToken> OpenIdTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>(position, user) for every change of a user's devices or cross-signing keys; VisibleTo limits a
    /// change to one reader (a user-signing signature is seen only by its signer).</summary>
    public List<(long Position, string UserId, string? VisibleTo)> DeviceListChanges { get; } = new();

    private long _position = 1;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>The current stream position (the newest change).</summary>
    public long Position => _position;

    /// <summary>Completes at the next change; take it under the lock before reading, await it outside.</summary>
    public Task NextChange => _changed.Task;

    /// <summary>Takes the next stream position. Call under <see cref="Gate"/>; waiters wake when the lock is left
    /// (their continuations run asynchronously and re-take it).</summary>
    public long Advance()
    {
        _position++;
        var signal = _changed;
        _changed = NewSignal();
        signal.TrySetResult();
        return _position;
    }

    public void NoteDeviceListChange(string userId, string? visibleTo = null) =>
        DeviceListChanges.Add((Advance(), userId, visibleTo));

    public string NewId(int bytes = 12) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public string NewDeviceId() =>
        new(Enumerable.Range(0, 10).Select(_ => (char)('A' + RandomNumberGenerator.GetInt32(26))).ToArray());

    public long NowMs => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Users that share a room where both are joined with <paramref name="userId"/>, including itself.</summary>
    public HashSet<string> UsersSharingRoomWith(string userId)
    {
        var users = new HashSet<string> { userId };
        foreach (var room in Rooms.Values)
        {
            if (room.Membership(userId) == "join")
            {
                users.UnionWith(room.MembersWith("join"));
            }
        }

        return users;
    }

    /// <summary>Appends an event to a room and its state, at a new stream position.</summary>
    public StoredEvent AppendEvent(Room room, string type, string sender, JsonObject content, string? stateKey,
        string? senderDeviceId = null, string? transactionId = null)
    {
        var position = Advance();
        var ev = new JsonObject
        {
            ["event_id"] = "$" + NewId(32),
            ["room_id"] = room.RoomId,
            ["type"] = type,
            ["sender"] = sender,
            ["origin_server_ts"] = NowMs,
            ["content"] = content,
        };
        var unsigned = new JsonObject();
        if (stateKey is not null)
        {
            ev["state_key"] = stateKey;
            if (room.State.TryGetValue((type, stateKey), out var previous))
            {
                unsigned["prev_content"] = previous.Event["content"]!.DeepClone();
                unsigned["replaces_state"] = previous.EventId;
                unsigned["prev_sender"] = previous.Sender;
            }
        }
        ev["unsigned"] = unsigned;
        var stored = new StoredEvent(position, ev, senderDeviceId, transactionId);
        room.Events.Add(stored);
        if (stateKey is not null)
        {
            room.State[(type, stateKey)] = stored;
        }

        return stored;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
