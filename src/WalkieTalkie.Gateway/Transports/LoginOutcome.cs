namespace WalkieTalkie.Gateway.Transports;

public enum LoginOutcome
{
    Accepted,

    /// <summary>A bad id or secret.</summary>
    Refused,

    /// <summary>Not checked: the id or the address is backing off after too many failures.</summary>
    Throttled,
}
