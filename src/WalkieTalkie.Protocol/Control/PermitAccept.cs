using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Badge to gateway: the wearer accepted these permits on a channel (an explicit act on the badge).</summary>
    public sealed class PermitAccept : ControlMessage
    {
        public byte Channel;
        public byte Permits;

        public override byte Type
        {
            get { return MessageType.PermitAccept; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteByte(Permits);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            Permits = PermitReads.Read(reader);
        }
    }
}
