using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Gateway to badge, right after <see cref="ChannelOptions"/>: what this badge may do as a talker. A badge that never
    /// gets it keeps the defaults (no bit set).
    /// </summary>
    public sealed class TalkerOptions : ControlMessage
    {
        /// <summary>
        /// A priority talker: push-to-talk while the badge is hearing a burst asks for the floor (which the gateway grants
        /// by cutting the talker) instead of answering busy on the badge.
        /// </summary>
        public const byte Override = 0x01;

        public byte Flags;

        public override byte Type
        {
            get { return MessageType.TalkerOptions; }
        }

        public bool MayOverride
        {
            get { return (Flags & Override) != 0; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Flags);
        }

        internal override void ReadBody(PacketReader reader)
        {
            // Bits this badge does not know are a newer gateway's: ignored, so they can be added without breaking it.
            Flags = reader.ReadByte();
        }
    }
}
