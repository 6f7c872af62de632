namespace WalkieTalkie.Protocol.Control
{
    /// <summary>One channel's entry in <see cref="ChannelOptions"/>.</summary>
    public sealed class ChannelOption
    {
        public byte Channel;

        /// <summary><see cref="ChannelFlags"/> bits.</summary>
        public byte Flags;
    }
}
