using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Badge to gateway: the wearer no longer accepts these permits on a channel.</summary>
    public sealed class PermitWithdraw : ControlMessage
    {
        public byte Channel;
        public byte Permits;

        public override byte Type
        {
            get { return MessageType.PermitWithdraw; }
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
