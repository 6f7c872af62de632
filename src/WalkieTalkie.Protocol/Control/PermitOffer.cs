using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Gateway to badge: a parent or admin offers permits on a channel; the wearer accepts with a long press.</summary>
    public sealed class PermitOffer : ControlMessage
    {
        public byte Channel;
        public byte Permits;

        /// <summary>Unix seconds when the permit ends, or <see cref="Control.Permits.Forever"/>.</summary>
        public uint Until;
        public string OfferedBy = string.Empty;

        public override byte Type
        {
            get { return MessageType.PermitOffer; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteByte(Permits);
            writer.WriteUInt32(Until);
            writer.WriteString(OfferedBy);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            Permits = PermitReads.Read(reader);
            Until = reader.ReadUInt32();
            OfferedBy = reader.ReadString();
        }
    }
}
