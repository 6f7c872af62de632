using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WalkieTalkie.TestHomeserver.Http;
using WalkieTalkie.TestHomeserver.State;

namespace WalkieTalkie.TestHomeserver.Endpoints;

/// <summary>
/// The room part of a sync filter (an id from <c>POST /filter</c> or inline JSON), as the spec's <c>RoomFilter</c> has it:
/// <c>rooms</c>/<c>not_rooms</c>, and per section (<c>timeline</c>, <c>state</c>) <c>types</c>/<c>not_types</c> with
/// <c>*</c> wildcards and the timeline's <c>limit</c> (default 10 like Synapse).
/// </summary>
internal sealed class RoomSyncFilter
{
    private RoomSyncFilter(JsonNode? room)
    {
        Rooms = Strings(room?["rooms"]);
        NotRooms = Strings(room?["not_rooms"]) ?? [];
        Timeline = new EventFilter(room?["timeline"]);
        State = new EventFilter(room?["state"]);
        TimelineLimit = Json.AsLong(room?["timeline"]?["limit"]) is { } n and >= 0 ? (int)Math.Min(n, 1000) : 10;
    }

    public static RoomSyncFilter All { get; } = new(null);

    public int TimelineLimit { get; }

    public EventFilter Timeline { get; }

    public EventFilter State { get; }

    private string[]? Rooms { get; }

    private string[] NotRooms { get; }

    public bool Includes(string roomId) => (Rooms is null || Rooms.Contains(roomId)) && !NotRooms.Contains(roomId);

    public static RoomSyncFilter Parse(Account account, string? filter)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return All;
        }

        JsonNode? definition;
        if (filter.StartsWith('{'))
        {
            try { definition = JsonNode.Parse(filter); }
            catch (JsonException) { throw MatrixException.InvalidParam("Invalid filter JSON"); }
        }
        else if (int.TryParse(filter, out var id) && id >= 0 && id < account.Filters.Count)
        {
            definition = account.Filters[id];
        }
        else
        {
            throw MatrixException.NotFound("No such filter");
        }

        return new RoomSyncFilter(definition?["room"]);
    }

    private static string[]? Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToArray() : null;

    /// <summary>An event filter's <c>types</c> and <c>not_types</c>; a <c>*</c> matches any run of characters.</summary>
    internal sealed class EventFilter(JsonNode? section)
    {
        private readonly string[]? _types = Strings(section?["types"]);
        private readonly string[] _notTypes = Strings(section?["not_types"]) ?? [];

        public bool Includes(StoredEvent e) => (_types is null || _types.Any(t => Matches(t, e.Type))) && !_notTypes.Any(t => Matches(t, e.Type));

        private static bool Matches(string pattern, string type) =>
            Regex.IsMatch(type, "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
    }
}
