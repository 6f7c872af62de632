namespace WalkieTalkie.Badge.Simulation.Tests.Support;

/// <summary>The process did not run from <paramref name="FromMs"/> to <paramref name="ToMs"/> (fleet clock).</summary>
internal readonly record struct Stall(double FromMs, double ToMs)
{
    public double Milliseconds => ToMs - FromMs;

    /// <summary>
    /// The listener takes back what a stall added within twice its length (ReceiveSessionLatencyTests); half a second
    /// more covers its window's slack and the frames still in flight.
    /// </summary>
    public double SettledAt => ToMs + 2 * Milliseconds + 500;

    /// <summary>True when a block sounding at <paramref name="atMs"/> may still carry latency this stall added.</summary>
    public bool Covers(double atMs) => atMs >= FromMs && atMs < SettledAt;
}
