namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Why the gateway refused the floor; the badge plays the busy tone for each.</summary>
    public enum DenyReason : byte
    {
        /// <summary>Someone else holds the floor.</summary>
        Busy = 1,

        /// <summary>The badge holds no accepted send permit for the channel (or its receive permit is missing).</summary>
        NoPermit = 2,

        /// <summary>The badge talked the maximum time and waits out the cool-down (see retry-after).</summary>
        TooLong = 3,

        /// <summary>The badge is not a member of that channel.</summary>
        UnknownChannel = 4,

        /// <summary>
        /// Another gateway of the channel's room claimed the floor at nearly the same moment and won: the badge
        /// pressed before it could have heard that talker, so it plays the collision tone rather than busy.
        /// </summary>
        Collision = 5,
    }
}
