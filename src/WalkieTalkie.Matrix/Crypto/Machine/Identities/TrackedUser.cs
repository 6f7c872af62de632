namespace WalkieTalkie.Matrix.Crypto.Machine.Identities;

/// <summary>A user whose device list we follow.</summary>
internal sealed class TrackedUser
{
    /// <summary>The device list must be queried (again).</summary>
    public bool Outdated { get; set; }
    /// <summary>Counts the changes announced, so a change during a query is not lost when the query answers.</summary>
    public int Generation { get; set; }
    public string? QueryInFlight { get; set; }
}
