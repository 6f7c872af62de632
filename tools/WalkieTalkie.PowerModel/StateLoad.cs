namespace WalkieTalkie.PowerModel;

/// <summary>One figure that is on in a state, for the fraction <see cref="Duty"/> of the state's time.</summary>
public sealed record StateLoad
{
    public string Figure { get; init; } = "";

    public double Duty { get; init; } = 1.0;
}
