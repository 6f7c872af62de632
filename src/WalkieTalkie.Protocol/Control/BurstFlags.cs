namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Bits of a burst-start's flags byte. Bits not named here are reserved and must be zero.</summary>
    public static class BurstFlags
    {
        /// <summary>The talker holds priority (parent, supervisor, emergency).</summary>
        public const byte Priority = 0x01;

        /// <summary>A recording played later, not live.</summary>
        public const byte Replay = 0x02;

        /// <summary>A voice message from a Matrix client (a phone), not a badge.</summary>
        public const byte FromMatrix = 0x04;

        public const byte Known = Priority | Replay | FromMatrix;
    }
}
