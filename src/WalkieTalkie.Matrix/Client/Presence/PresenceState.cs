namespace WalkieTalkie.Matrix.Client.Presence;

/// <summary>A user's presence as the Matrix spec names it (<c>m.presence</c>).</summary>
public enum PresenceState
{
    Online,
    Unavailable,
    Offline,
}
