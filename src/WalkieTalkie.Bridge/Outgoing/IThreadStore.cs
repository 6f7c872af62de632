namespace WalkieTalkie.Bridge.Outgoing;

/// <summary>Keeps each channel's <see cref="SessionState"/> across restarts (the gateway's store implements it).</summary>
public interface IThreadStore
{
    /// <summary>The channel's session, or null when it has none.</summary>
    SessionState? Load(string channel);

    /// <summary>Replaces the channel's session; null clears it. Durable when it returns.</summary>
    void Save(string channel, SessionState? state);
}
