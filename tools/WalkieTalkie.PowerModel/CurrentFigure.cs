namespace WalkieTalkie.PowerModel;

/// <summary>
/// The current one part draws from the cell in one state: given in milliamps, or as an output power in
/// milliwatts with the converter's efficiency (converted at the cell's nominal voltage).
/// </summary>
public sealed record CurrentFigure
{
    public double? Milliamps { get; init; }

    public double? Milliwatts { get; init; }

    public double? Efficiency { get; init; }

    /// <summary>Document and table the figure comes from, or how it was derived.</summary>
    public string Source { get; init; } = "";

    /// <summary>False when the value could not be confirmed against its source and must be measured.</summary>
    public bool Checked { get; init; } = true;

    /// <summary>The figure in milliamps from a cell at <paramref name="cellVolts"/>.</summary>
    public double MilliampsAt(double cellVolts) =>
        Milliamps ?? Milliwatts!.Value / (cellVolts * Efficiency!.Value);
}
