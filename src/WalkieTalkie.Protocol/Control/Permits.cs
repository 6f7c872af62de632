namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Bits of a permit byte (MSC4002: per device and channel, opt-in).</summary>
    public static class Permits
    {
        public const byte Receive = 0x01;
        public const byte Send = 0x02;
        public const byte Known = Receive | Send;

        /// <summary>An <c>until</c> of zero means the permit holds for good.</summary>
        public const uint Forever = 0;
    }
}
