namespace WalkieTalkie.Bridge.Incoming;

/// <summary>What the bridge does with a room message.</summary>
public abstract record IncomingDecision
{
    private IncomingDecision() { }

    /// <summary>An Ogg Opus voice message: download, decode and play it on the channel.</summary>
    /// <param name="Voice">The voice message.</param>
    public sealed record Play(IncomingVoice Voice) : IncomingDecision;

    /// <summary>Audio the badges cannot play: say so in the log.</summary>
    /// <param name="EventId">The event.</param>
    /// <param name="Reason">Why, for the log line.</param>
    public sealed record Refuse(string EventId, string Reason) : IncomingDecision;

    /// <summary>Not for the badges (text, images, edits, our own badges' bursts): nothing to do.</summary>
    /// <param name="EventId">The event.</param>
    /// <param name="Reason">Why, for a debug line.</param>
    public sealed record Ignore(string EventId, string Reason) : IncomingDecision;
}
