namespace WalkieTalkie.Protocol.Frames
{
    /// <summary>Bits of an audio frame's flags byte. Bits not named here are reserved and must be zero.</summary>
    public static class FrameFlags
    {
        /// <summary>The first frame of a burst (sequence 0).</summary>
        public const byte First = 0x01;

        /// <summary>The last frame of a burst: the talker released, or the gateway ended the burst.</summary>
        public const byte Last = 0x02;

        /// <summary>A frame replayed from a recording (late wake, unplayed queue, a phone's voice message), not live.</summary>
        public const byte Replay = 0x04;

        public const byte Known = First | Last | Replay;
    }
}
