using WalkieTalkie.Matrix.Client.Presence;

namespace WalkieTalkie.Gateway.MatrixBridge.Adapters;

/// <summary>
/// A badge's state as its Matrix account's presence, so a phone sees who is reachable: online while awake,
/// unavailable in standby (a burst wakes it), offline in pocket sleep or offline (it hears bursts only later).
/// </summary>
public static class BadgePresenceMapping
{
    /// <summary>The presence for a state as the engine reports it (<c>PresenceRecord.State</c>).</summary>
    public static PresenceState Of(string badgeState) => badgeState switch
    {
        "idle" or "talking" or "listening" => PresenceState.Online,
        "standby" => PresenceState.Unavailable,
        _ => PresenceState.Offline,
    };
}
