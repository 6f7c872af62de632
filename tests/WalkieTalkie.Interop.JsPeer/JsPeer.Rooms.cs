using System.Text.Json.Nodes;

namespace WalkieTalkie.Interop;

// Rooms, messages and waiting for events.
public sealed partial class JsPeer
{
    /// <summary>Creates a room (Megolm-encrypted unless <paramref name="encrypted"/> is false), inviting users.</summary>
    public async Task<string> CreateRoomAsync(string? name = null, IEnumerable<string>? invite = null, bool encrypted = true,
        string preset = "private_chat", TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("createRoom", new { name, invite = invite?.ToArray() ?? [], encrypted, preset, timeoutMs = Ms(timeout) },
            cancellationToken: cancellationToken);
        return r.Str("roomId");
    }

    /// <summary>Joins a room by id or alias.</summary>
    public async Task<string> JoinRoomAsync(string roomIdOrAlias, CancellationToken cancellationToken = default) =>
        (await SendAsync("joinRoom", new { roomId = roomIdOrAlias }, cancellationToken: cancellationToken)).Str("roomId");

    /// <summary>Invites a user.</summary>
    public Task InviteAsync(string roomId, string userId, CancellationToken cancellationToken = default) =>
        SendAsync("invite", new { roomId, userId }, cancellationToken: cancellationToken);

    /// <summary>Joins every room this user is invited to, now and whenever an invite arrives.</summary>
    public Task SetAutoJoinAsync(bool enabled = true, CancellationToken cancellationToken = default) =>
        SendAsync("setAutoJoin", new { enabled }, cancellationToken: cancellationToken);

    /// <summary>Waits until every user has the membership (default <c>join</c>) in the peer's view of the room.</summary>
    public Task WaitForMembersAsync(string roomId, IEnumerable<string> userIds, string membership = "join", TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        SendAsync("waitForMembers", new { roomId, userIds = userIds.ToArray(), membership, timeoutMs = Ms(timeout) }, cancellationToken: cancellationToken);

    /// <summary>Sends an <c>m.text</c> message (encrypted in an encrypted room); returns its event id.</summary>
    public async Task<string> SendTextAsync(string roomId, string body, CancellationToken cancellationToken = default) =>
        (await SendAsync("sendText", new { roomId, body }, cancellationToken: cancellationToken)).Str("eventId");

    /// <summary>Sends a state event (<c>client.sendStateEvent</c>; state events travel unencrypted); returns its event id.</summary>
    public async Task<string> SendStateEventAsync(string roomId, string type, string stateKey, JsonObject content,
        CancellationToken cancellationToken = default) =>
        (await SendAsync("sendStateEvent", new { roomId, type, stateKey, content }, cancellationToken: cancellationToken)).Str("eventId");

    /// <summary>Sends an <c>m.room.message</c> with any content; returns its event id.</summary>
    public async Task<string> SendMessageAsync(string roomId, JsonObject content, CancellationToken cancellationToken = default) =>
        (await SendAsync("sendMessage", new { roomId, content }, cancellationToken: cancellationToken)).Str("eventId");

    /// <summary>
    /// Waits for a room event matching every filter given, after decryption, and reports it with its shield. An
    /// event that matched the id/room/sender filters but failed to decrypt is returned (with
    /// <see cref="ReceivedEvent.DecryptionFailure"/> set) only when the wait ends, since js-sdk retries when a late
    /// key arrives; nothing at all matching throws <see cref="JsPeerException"/>.
    /// </summary>
    public async Task<ReceivedEvent> WaitForEventAsync(string roomId, string? eventId = null, string? sender = null, string? type = null,
        string? msgtype = null, string? body = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("waitForEvent", new { roomId, eventId, sender, type, msgtype, body, timeoutMs = Ms(timeout) },
            cancellationToken: cancellationToken);
        return Event(r);
    }

    /// <summary>
    /// Waits until <paramref name="count"/> decrypted events match the filters and returns the first
    /// <paramref name="count"/> in the order the client received them (the server's order). On timeout the
    /// <see cref="JsPeerException"/> says how many matched and which failed to decrypt.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedEvent>> WaitForEventsAsync(string roomId, int count, string? sender = null, string? type = null,
        string? msgtype = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync("waitForEvents", new { roomId, count, sender, type, msgtype, timeoutMs = Ms(timeout) },
            cancellationToken: cancellationToken);
        return Events(r);
    }

    /// <summary>Every event received so far that matches the filters, decrypted or not (failures have
    /// <see cref="ReceivedEvent.DecryptionFailure"/> set), in the order the client received them. No waiting: use it
    /// after a wait to check that nothing arrived twice or out of order.</summary>
    public async Task<IReadOnlyList<ReceivedEvent>> EventsAsync(string roomId, string? sender = null, string? type = null,
        string? msgtype = null, CancellationToken cancellationToken = default) =>
        Events(await SendAsync("events", new { roomId, sender, type, msgtype }, cancellationToken: cancellationToken));

    private static List<ReceivedEvent> Events(JsonObject r) => (r["events"] as JsonArray ?? []).OfType<JsonObject>().Select(Event).ToList();

    private static ReceivedEvent Event(JsonObject r)
    {
        EventShield? shield = r["shield"] is JsonObject s
            ? new EventShield((int)s.Long("colour"), s.OptStr("colourName"), (int?)s.OptLong("reason"), s.OptStr("reasonName"))
            : null;
        return new ReceivedEvent(r.Str("eventId"), r.Str("roomId"), r.Str("sender"), r.Str("type"), r.Str("wireType"), r.Bool("encrypted"),
            r["content"] as JsonObject ?? new JsonObject(), r.OptStr("senderDeviceId"), r.OptStr("decryptionFailure"), shield);
    }
}
