using System.Diagnostics;
using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Badge.Simulation.Hardware;

/// <summary>Milliseconds since the fleet started, shared by all its badges so that their timelines line up.</summary>
public sealed class RunClock : IClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public long Milliseconds => _watch.ElapsedMilliseconds;

    /// <summary>Milliseconds with a fraction, for latency and WAV positions.</summary>
    public double PreciseMilliseconds => _watch.Elapsed.TotalMilliseconds;

    public uint UnixSeconds => (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
