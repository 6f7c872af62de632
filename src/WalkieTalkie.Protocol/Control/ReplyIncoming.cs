using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Gateway to listener, just before a burst's <c>burst-start</c>: that burst is a private reply to this badge
    /// alone (its tone and LED say so). A badge that does not know the type plays it as any other burst.
    /// </summary>
    public sealed class ReplyIncoming : ControlMessage
    {
        public byte Channel;
        public uint BurstId;

        public override byte Type
        {
            get { return MessageType.ReplyIncoming; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteUInt32(BurstId);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            BurstId = reader.ReadUInt32();
        }
    }
}
