using System.Text.Json;

namespace WalkieTalkie.Bridge.Events;

/// <summary>
/// The parts of <c>m.room.power_levels</c> that decide who may send a state event: <c>users</c>,
/// <c>users_default</c>, <c>events</c> and <c>state_default</c>, with the spec's defaults. Reading hostile content
/// never throws: an entry that is not an integer counts as absent, and content holding text that is not valid UTF-16
/// (an escaped lone surrogate) counts as empty, which gives nobody but the privileged creators more than the defaults.
/// </summary>
public sealed class RoomPowerLevels
{
    private readonly Dictionary<string, long> _users;
    private readonly Dictionary<string, long> _events;
    private readonly HashSet<string> _creators;

    private RoomPowerLevels(Dictionary<string, long> users, long usersDefault, Dictionary<string, long> events,
        long stateDefault, HashSet<string> creators)
    {
        _users = users;
        UsersDefault = usersDefault;
        _events = events;
        StateDefault = stateDefault;
        _creators = creators;
    }

    /// <summary>The level of users not named in <c>users</c>.</summary>
    public long UsersDefault { get; }

    /// <summary>The level needed for a state event whose type <c>events</c> does not name.</summary>
    public long StateDefault { get; }

    /// <summary>
    /// Reads the content of <c>m.room.power_levels</c>. <paramref name="privilegedCreators"/> are the room's creators
    /// in room versions that give them unlimited power (version 12: the create event's sender and
    /// <c>additional_creators</c>); leave it empty for older versions.
    /// </summary>
    public static RoomPowerLevels FromContent(JsonElement content, IEnumerable<string>? privilegedCreators = null)
    {
        var users = new Dictionary<string, long>(StringComparer.Ordinal);
        var events = new Dictionary<string, long>(StringComparer.Ordinal);
        long usersDefault = 0, stateDefault = 50;
        if (content.ValueKind == JsonValueKind.Object && JsonText.IsValid(content))
        {
            ReadMap(content, "users", users);
            ReadMap(content, "events", events);
            if (content.TryGetProperty("users_default", out var ud) && TryReadLevel(ud, out var u))
            {
                usersDefault = u;
            }

            if (content.TryGetProperty("state_default", out var sd) && TryReadLevel(sd, out var s))
            {
                stateDefault = s;
            }
        }
        return new RoomPowerLevels(users, usersDefault, events, stateDefault, Creators(privilegedCreators));
    }

    /// <summary>A room without a power levels event: the creator has 100, everyone else 0, state needs 0.</summary>
    public static RoomPowerLevels WithoutEvent(string creatorUserId, IEnumerable<string>? privilegedCreators = null) =>
        new(new Dictionary<string, long>(StringComparer.Ordinal) { [creatorUserId] = 100 }, 0,
            new Dictionary<string, long>(StringComparer.Ordinal), 0, Creators(privilegedCreators));

    /// <summary>The user's level; <see cref="long.MaxValue"/> for a privileged creator.</summary>
    public long UserLevel(string userId) =>
        _creators.Contains(userId) ? long.MaxValue : _users.TryGetValue(userId, out var level) ? level : UsersDefault;

    /// <summary>The level needed to send a state event of this type.</summary>
    public long RequiredForState(string eventType) => _events.TryGetValue(eventType, out var level) ? level : StateDefault;

    /// <summary>Whether the user's level reaches the level for this state type.</summary>
    public bool MaySendState(string userId, string eventType) => UserLevel(userId) >= RequiredForState(eventType);

    private static HashSet<string> Creators(IEnumerable<string>? creators) =>
        new(creators ?? [], StringComparer.Ordinal);

    private static void ReadMap(JsonElement content, string key, Dictionary<string, long> into)
    {
        if (!content.TryGetProperty(key, out var map) || map.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var entry in map.EnumerateObject())
        {
            if (TryReadLevel(entry.Value, out var level))
            {
                into[entry.Name] = level;
            }
        }
    }

    // Room versions before 10 allowed levels as strings of digits, and such rooms still exist.
    private static bool TryReadLevel(JsonElement value, out long level)
    {
        if (JsonFields.TryGetSafeInteger(value, out level))
        {
            return true;
        }

        return value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out level)
            && level is >= -JsonFields.MaxSafeInteger and <= JsonFields.MaxSafeInteger;
    }
}
