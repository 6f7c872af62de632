namespace WalkieTalkie.Fuzz;

/// <summary>
/// A check of the harness failed on an input the parser accepted (writing back what was read gave other bytes): a
/// crash like any unexpected exception, so afl saves the input.
/// </summary>
public sealed class FuzzInvariantException(string message) : Exception(message);
