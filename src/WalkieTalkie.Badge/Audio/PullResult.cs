namespace WalkieTalkie.Badge.Audio
{
    /// <summary>What the jitter buffer produced for one block of playing time.</summary>
    public enum PullResult : byte
    {
        /// <summary>Still filling up to its prefill: nothing to play yet.</summary>
        Waiting = 0,

        /// <summary>A received block, decoded.</summary>
        Played = 1,

        /// <summary>A block was missing: the previous one repeated, attenuated.</summary>
        Concealed = 2,

        /// <summary>More than one block in a row was missing: silence.</summary>
        Silence = 3,

        /// <summary>The burst has been played to its last frame.</summary>
        Finished = 4,

        /// <summary>A received block, decoded and played shorter (time-scaled): latency brought back down.</summary>
        Shortened = 5,
    }
}
