namespace WalkieTalkie.Gateway.Security;

/// <summary>What checking a badge's secret found.</summary>
public enum SecretMatch
{
    NoMatch,
    Matches,

    /// <summary>The secret matches a row in the old PBKDF2 format, which should now be rewritten.</summary>
    MatchesOldFormat,
}
