namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Why the gateway refused a private reply; the badge plays the busy tone for each.</summary>
    public enum ReplyDenyReason : byte
    {
        /// <summary>Nobody else has talked on that channel to this badge yet.</summary>
        NoOneToReply = 1,

        /// <summary>The badge, or the one it answers, is already in a burst.</summary>
        Busy = 2,

        /// <summary>The badge holds no accepted send permit for the channel.</summary>
        NoPermit = 3,

        /// <summary>The last talker cannot be reached privately (no longer on the channel, or no direct room for it).</summary>
        Unreachable = 4,
    }
}
