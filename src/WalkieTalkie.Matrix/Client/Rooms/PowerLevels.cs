using System.Text.Json.Nodes;

namespace WalkieTalkie.Matrix.Client.Rooms;

/// <summary>
/// A room's power levels (<c>m.room.power_levels</c> together with <c>m.room.create</c>), answering "what level
/// does user X have" and "may X send event type T". Follows the spec's defaults: without a power-levels event
/// the creator has 100, everyone else 0, and state needs 0; with one, state defaults to 50. From room version
/// 12 on, the creators (the create event's sender plus <c>additional_creators</c>) outrank every level.
/// </summary>
public sealed class PowerLevels
{
    /// <summary>The level of a v12+ room creator: above any number a power-levels event can hold.</summary>
    public const long CreatorLevel = long.MaxValue;

    private readonly JsonObject? _content;
    private readonly IReadOnlySet<string> _creators;
    private readonly bool _creatorsOutrankAll;

    public PowerLevels(JsonObject? powerLevelsContent, IReadOnlySet<string> creators, bool creatorsOutrankAll)
    {
        _content = powerLevelsContent;
        _creators = creators;
        _creatorsOutrankAll = creatorsOutrankAll;
    }

    /// <summary>Whether the room has a power-levels event at all.</summary>
    public bool HasPowerLevelsEvent => _content is not null;

    public long UsersDefault => Read("users_default", 0);
    public long EventsDefault => Read("events_default", 0);
    public long StateDefault => Read("state_default", HasPowerLevelsEvent ? 50 : 0);
    public long Invite => Read("invite", 0);
    public long Kick => Read("kick", 50);
    public long Ban => Read("ban", 50);
    public long Redact => Read("redact", 50);

    /// <summary>The power level of <paramref name="userId"/>.</summary>
    public long UserLevel(string userId)
    {
        if (_creatorsOutrankAll && _creators.Contains(userId))
        {
            return CreatorLevel;
        }

        if (_content is null)
        {
            return _creators.Contains(userId) ? 100 : 0;
        }

        if (_content["users"] is JsonObject users && JsonNumbers.ReadLong(users[userId]) is { } level)
        {
            return level;
        }

        return UsersDefault;
    }

    /// <summary>The level needed to send <paramref name="eventType"/>, as state or as a room event.</summary>
    public long RequiredLevel(string eventType, bool isState)
    {
        if (_content?["events"] is JsonObject events && JsonNumbers.ReadLong(events[eventType]) is { } level)
        {
            return level;
        }

        return isState ? StateDefault : EventsDefault;
    }

    /// <summary>May <paramref name="userId"/> send state events of <paramref name="eventType"/>?</summary>
    public bool MaySendState(string userId, string eventType) => UserLevel(userId) >= RequiredLevel(eventType, isState: true);

    /// <summary>May <paramref name="userId"/> send room (message) events of <paramref name="eventType"/>?</summary>
    public bool MaySendEvent(string userId, string eventType) => UserLevel(userId) >= RequiredLevel(eventType, isState: false);

    private long Read(string key, long fallback) => JsonNumbers.ReadLong(_content?[key]) ?? fallback;
}
