namespace WalkieTalkie.NanoGate;

/// <summary>One thing in an assembly that nanoFramework 1.x cannot run, and where it is.</summary>
public sealed record GateViolation(string Rule, string Where)
{
    public override string ToString() => $"{Rule}: {Where}";
}
