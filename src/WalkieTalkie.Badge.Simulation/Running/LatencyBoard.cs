using System.Collections.Concurrent;

namespace WalkieTalkie.Badge.Simulation;

/// <summary>
/// When each block was spoken, keyed by burst, frame sequence and block index (the gateway forwards frames with the
/// talker's burst id and sequence), so a listener in the same fleet can tell how long a block took to reach its ear.
/// </summary>
internal sealed class LatencyBoard
{
    private readonly ConcurrentDictionary<(uint Burst, int Sequence, int Block), double> _spokenAt = new();

    public void Spoken(uint burst, int sequence, int block, double atMilliseconds) => _spokenAt[(burst, sequence, block)] = atMilliseconds;

    public bool TryGetSpoken(uint burst, int sequence, int block, out double atMilliseconds) =>
        _spokenAt.TryGetValue((burst, sequence, block), out atMilliseconds);
}
