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

        private readonly WireText _offeredBy = new WireText();

        /// <summary>Who offers (a parent's or admin's name, or the Matrix user who granted it).</summary>
        public string OfferedBy
        {
            get { return _offeredBy.Text; }
            set { _offeredBy.Text = value; }
        }

        /// <summary>Who offers, as received: its UTF-8 bytes, kept (what a badge passes on).</summary>
        public WireText OfferedByText
        {
            get { return _offeredBy; }
        }

        public override byte Type
        {
            get { return MessageType.PermitOffer; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteByte(Permits);
            writer.WriteUInt32(Until);
            _offeredBy.Write(writer);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            Permits = PermitReads.Read(reader);
            Until = reader.ReadUInt32();
            _offeredBy.Read(reader);
        }
    }
}
