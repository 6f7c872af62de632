using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Sync;

namespace WalkieTalkie.Matrix.Client.Rooms;

/// <summary>
/// An immutable snapshot of one room's current state as this account sees it. <see cref="RoomStateTracker"/>
/// replaces the snapshot as sync brings changes, so a reader never sees a half-applied update.
/// </summary>
public sealed class RoomState
{
    internal RoomState(string roomId, string membership, ImmutableDictionary<(string Type, string StateKey), ClientEvent> events)
    {
        RoomId = roomId;
        Membership = membership;
        Events = events;
    }

    public string RoomId { get; }

    /// <summary>This account's membership: <c>join</c>, <c>invite</c> or <c>leave</c>.</summary>
    public string Membership { get; }

    /// <summary>Every current state event, by (type, state key).</summary>
    public ImmutableDictionary<(string Type, string StateKey), ClientEvent> Events { get; }

    /// <summary>The current state event of a type and key, or null.</summary>
    public ClientEvent? Get(string type, string stateKey = "") =>
        Events.TryGetValue((type, stateKey), out var e) ? e : null;

    /// <summary>Everyone with an <c>m.room.member</c> event, whatever the membership.</summary>
    public IEnumerable<RoomMember> Members => Events
        .Where(kv => kv.Key.Type == "m.room.member")
        .Select(kv => new RoomMember(kv.Key.StateKey,
            ReadString(kv.Value.Content, "membership") ?? "leave",
            ReadString(kv.Value.Content, "displayname")));

    /// <summary>Users whose membership is <c>join</c>.</summary>
    public IReadOnlyList<string> JoinedUserIds => Members.Where(m => m.Membership == "join").Select(m => m.UserId).Order(StringComparer.Ordinal).ToList();

    /// <summary>Users whose membership is <c>invite</c>.</summary>
    public IReadOnlyList<string> InvitedUserIds => Members.Where(m => m.Membership == "invite").Select(m => m.UserId).Order(StringComparer.Ordinal).ToList();

    /// <summary>A member's display name, or null.</summary>
    public string? DisplayName(string userId) => Get("m.room.member", userId) is { } e ? ReadString(e.Content, "displayname") : null;

    /// <summary>
    /// A member as Matrix clients name it (the spec's "calculating the display name for a user"): the display name,
    /// followed by the user id when another joined or invited member has the same one; the user id when there is
    /// none. Control characters (line breaks, terminal escapes) are dropped first: the name is shown, spoken and logged.
    /// </summary>
    public string MemberName(string userId)
    {
        var name = Printable(DisplayName(userId));
        if (name.Length == 0)
        {
            return userId;
        }

        var shared = Members.Any(m => m.UserId != userId && m.Membership is "join" or "invite" && Printable(m.DisplayName) == name);
        return shared ? $"{name} ({userId})" : name;
    }

    private static string Printable(string? text) =>
        text is null ? "" : new string(text.Where(c => !char.IsControl(c)).ToArray()).Trim();

    /// <summary>The room's encryption settings; null when the room is not encrypted.</summary>
    public RoomEncryption? Encryption => Get("m.room.encryption") is { } e ? RoomEncryption.Parse(e.Content) : null;

    public bool IsEncrypted => Encryption is not null;

    /// <summary><c>m.room.history_visibility</c>; the spec's default is <c>shared</c>.</summary>
    public string HistoryVisibility => Get("m.room.history_visibility") is { } e
        ? ReadString(e.Content, "history_visibility") ?? "shared"
        : "shared";

    public string? Name => Get("m.room.name") is { } e ? ReadString(e.Content, "name") : null;

    /// <summary>The room version from <c>m.room.create</c> ("1" when absent, as the spec says).</summary>
    public string RoomVersion => Get("m.room.create") is { } e ? ReadString(e.Content, "room_version") ?? "1" : "1";

    /// <summary>The create event's sender plus, from room version 12 on, its <c>additional_creators</c>.</summary>
    public IReadOnlySet<string> Creators
    {
        get
        {
            var creators = new HashSet<string>(StringComparer.Ordinal);
            if (Get("m.room.create") is not { } create)
            {
                return creators;
            }

            if (create.Sender is { } sender)
            {
                creators.Add(sender);
            }
            else if (ReadString(create.Content, "creator") is { } creator)
            {
                creators.Add(creator);
            }

            if (CreatorsOutrankAll && create.Content["additional_creators"] is JsonArray extra)
            {
                foreach (var user in extra)
                {
                    if (user is JsonValue v && v.TryGetValue(out string? id))
                    {
                        creators.Add(id);
                    }
                }
            }

            return creators;
        }
    }

    /// <summary>The power levels, with the creators' privilege of the room version.</summary>
    public PowerLevels PowerLevels => new(Get("m.room.power_levels")?.Content, Creators, CreatorsOutrankAll);

    private bool CreatorsOutrankAll =>
        int.TryParse(RoomVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v >= 12
            : RoomVersion == "org.matrix.hydra.11";

    internal RoomState With(string membership, ImmutableDictionary<(string, string), ClientEvent> events) =>
        new(RoomId, membership, events);

    private static string? ReadString(JsonObject content, string key) =>
        content[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
