namespace WalkieTalkie.Matrix.Client.Presence;

/// <summary>The wire names of <see cref="PresenceState"/>.</summary>
public static class PresenceStates
{
    public static string Name(PresenceState state) => state switch
    {
        PresenceState.Online => "online",
        PresenceState.Unavailable => "unavailable",
        _ => "offline",
    };

    /// <summary>The state a wire name stands for, or null for a name the spec does not have.</summary>
    public static PresenceState? Parse(string? name) => name switch
    {
        "online" => PresenceState.Online,
        "unavailable" => PresenceState.Unavailable,
        "offline" => PresenceState.Offline,
        _ => null,
    };
}
