namespace WalkieTalkie.PowerModel;

/// <summary>Everything the model needs: the cell, the figures, which figures each state draws, the profiles.</summary>
public sealed record PowerParameters
{
    /// <summary>The states every parameters file defines.</summary>
    public static readonly string[] RequiredStates = ["talking", "listening", "standby", "checkIn", "pocketSleep", "always"];

    public CellParameters Cell { get; init; } = new();

    public Dictionary<string, CurrentFigure> Figures { get; init; } = [];

    public Dictionary<string, StateLoad[]> States { get; init; } = [];

    public UsageProfile[] Profiles { get; init; } = [];

    public string[] Assumptions { get; init; } = [];
}
