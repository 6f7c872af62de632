using System.Collections.Concurrent;

namespace WalkieTalkie.Badge.Simulation;

/// <summary>
/// When each block was spoken, keyed by burst, frame sequence and block index (the gateway forwards frames with the
/// talker's burst id and sequence), and when each frame was sent, so a listener in the same fleet can tell how long a
/// block took to reach its ear and where the time went.
/// </summary>
internal sealed class LatencyBoard
{
    private readonly ConcurrentDictionary<(uint Burst, int Sequence, int Block), double> _spokenAt = new();
    private readonly ConcurrentDictionary<(uint Burst, int Sequence), double> _sentAt = new();
    private readonly ConcurrentDictionary<uint, uint> _relayedFrom = new();

    public void Spoken(uint burst, int sequence, int block, double atMilliseconds) => _spokenAt[(burst, sequence, block)] = atMilliseconds;

    public bool TryGetSpoken(uint burst, int sequence, int block, out double atMilliseconds) =>
        _spokenAt.TryGetValue((Original(burst), sequence, block), out atMilliseconds);

    public void Sent(uint burst, int sequence, double atMilliseconds) => _sentAt[(burst, sequence)] = atMilliseconds;

    public double? SentAt(uint burst, int sequence) => _sentAt.TryGetValue((Original(burst), sequence), out var at) ? at : null;

    /// <summary>A gateway that relays a burst from another site plays it under its own id: its blocks are the original's.</summary>
    public void Relayed(uint heardAs, uint spokenAs) => _relayedFrom[heardAs] = spokenAs;

    private uint Original(uint burst) => _relayedFrom.TryGetValue(burst, out var original) ? original : burst;
}
