namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// When the next frame of a stream the gateway plays out itself is due: a recording, a late joiner's catch-up, a
/// voice message from Matrix. A badge plays in real time and holds 8 frames; what comes sooner it has to give up.
/// </summary>
public static class StreamPacing
{
    /// <param name="sent">Frames of the stream sent so far, the one just sent included.</param>
    /// <param name="lead">Frames sent at once before real-time pacing begins (1: none ahead).</param>
    /// <param name="due">When the frame just sent was due.</param>
    /// <param name="frame">One frame's duration.</param>
    /// <param name="now">The engine's clock.</param>
    public static DateTimeOffset NextDue(int sent, int lead, DateTimeOffset due, TimeSpan frame, DateTimeOffset now)
    {
        if (sent < lead)
        {
            return due;
        }

        // Behind schedule (the engine's loop stalled), the rest goes on from now: one extra frame, not a flood.
        return due + frame > now ? due + frame : now;
    }
}
