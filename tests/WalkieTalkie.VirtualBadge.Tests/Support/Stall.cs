namespace WalkieTalkie.Badge.Simulation.Tests.Support;

/// <summary>The process did not run from <paramref name="FromMs"/> to <paramref name="ToMs"/> (fleet clock).</summary>
internal readonly record struct Stall(double FromMs, double ToMs)
{
    public double Milliseconds => ToMs - FromMs;

    /// <summary>
    /// The listener keeps a margin for the deepest dip of its lead over its trim window (1 s), then takes the excess
    /// back within twice the stall (ReceiveSessionLatencyTests); half a second more covers the frames in flight.
    /// </summary>
    public double SettledAt => ToMs + 2 * Milliseconds + 1500;

    /// <summary>True when a block sounding at <paramref name="atMs"/> may still carry latency this stall added.</summary>
    public bool Covers(double atMs) => atMs >= FromMs && atMs < SettledAt;
}
