namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Bits of a channel's flags in <see cref="ChannelOptions"/>.</summary>
    public static class ChannelFlags
    {
        /// <summary>Listeners hear the end-of-burst tone ("roger beep") when a burst on the channel played to its end.</summary>
        public const byte EndTone = 0x01;
        public const byte Known = EndTone;

        /// <summary>What a channel has until the gateway says otherwise.</summary>
        public const byte Defaults = EndTone;
    }
}
