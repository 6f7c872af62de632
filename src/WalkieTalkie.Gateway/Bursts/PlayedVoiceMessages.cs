namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// The voice messages from Matrix this gateway played (itself, or heard live to their end from another site), by room
/// event id, with the burst id they played under: a message the bridge delivers again, or another site plays later, is
/// not played twice. The newest <see cref="Capacity"/> are kept (a room event reaches every site within seconds).
/// The engine's loop alone uses it.
/// </summary>
public sealed class PlayedVoiceMessages
{
    public const int Capacity = 4096;

    private readonly Dictionary<string, uint> _played = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Note(string eventId, uint burstId)
    {
        if (!_played.TryAdd(eventId, burstId))
        {
            return;
        }

        _order.Enqueue(eventId);
        if (_order.Count > Capacity)
        {
            _played.Remove(_order.Dequeue());
        }
    }

    /// <summary>The burst id the message played under here, or null when it has not played here.</summary>
    public uint? BurstOf(string eventId) => _played.TryGetValue(eventId, out var burstId) ? burstId : null;
}
