namespace WalkieTalkie.PowerModel;

/// <summary>The battery.</summary>
public sealed record CellParameters
{
    public double CapacityMilliampHours { get; init; }

    /// <summary>Share of the capacity the badge can use before its cut-off.</summary>
    public double UsableFraction { get; init; } = 1.0;

    public double NominalVolts { get; init; }

    public string Source { get; init; } = "";
}
