using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Gateway to badge: an emergency of a badge on one of its channels opened or closed. The badge that raised it
    /// shows its LED pattern; every other badge plays the alarm tone when one opens.
    /// </summary>
    public sealed class EmergencyState : ControlMessage
    {
        public bool Open;

        private readonly WireText _badge = new WireText();

        /// <summary>The id of the badge whose emergency it is.</summary>
        public string Badge
        {
            get { return _badge.Text; }
            set { _badge.Text = value; }
        }

        /// <summary>The badge id as received: its UTF-8 bytes (compared without making a string).</summary>
        public WireText BadgeText
        {
            get { return _badge; }
        }

        public override byte Type
        {
            get { return MessageType.EmergencyState; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte((byte)(Open ? 1 : 0));
            _badge.Write(writer);
        }

        internal override void ReadBody(PacketReader reader)
        {
            var value = reader.ReadByte();
            _badge.Read(reader);
            if (value > 1)
            {
                reader.Fail(ProtocolError.Malformed);
            }

            Open = value == 1;
        }
    }
}
