using WalkieTalkie.Bridge.Events;

namespace WalkieTalkie.Bridge.State;

/// <summary>
/// The current room event at one per-device state key, parsed. When the current event is invalid,
/// <see cref="Value"/> is null and the device holds nothing from it: an invalid event replaces the state as
/// the homeserver sees it, so every reader of the room computes the same rights (fail closed).
/// </summary>
/// <typeparam name="T">The parsed content.</typeparam>
/// <param name="Value">The content, or null when the event was refused.</param>
/// <param name="Rejection">Why it was refused, or null.</param>
/// <param name="Event">The event itself (sender, timestamp, id).</param>
public sealed record StateEntry<T>(T? Value, EventRejection? Rejection, RoomStateEvent Event) where T : class
{
    internal static StateEntry<T> From(Parsed<T> parsed, RoomStateEvent ev) => new(parsed.Value, parsed.Rejection, ev);
}
