namespace WalkieTalkie.Fuzz;

/// <summary>What a parser made of one input.</summary>
public enum FuzzOutcome
{
    /// <summary>The parser accepted the input (and every round trip the target checks held).</summary>
    Accepted,

    /// <summary>The parser refused the input the documented way.</summary>
    Refused,
}
