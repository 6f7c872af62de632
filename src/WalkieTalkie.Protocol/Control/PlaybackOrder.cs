namespace WalkieTalkie.Protocol.Control
{
    /// <summary>How a badge plays its unplayed queue once it is free.</summary>
    public enum PlaybackOrder : byte
    {
        /// <summary>Oldest first, across channels: a conversation in the order it happened.</summary>
        InOrder = 0,

        /// <summary>The channel with the newest recording first, that channel's recordings in order.</summary>
        NewestChannelFirst = 1,
    }
}
