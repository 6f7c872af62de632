namespace WalkieTalkie.Badge.Simulation.Tests.Support;

/// <summary>
/// Tests that judge timing over many seconds run by themselves, after the others: a test class running beside them
/// in the same process (badges, broker clients, child processes) stalls their badges' steps and is not the steady
/// network they assume.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
