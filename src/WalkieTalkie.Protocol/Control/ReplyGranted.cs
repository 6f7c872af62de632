using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Gateway to badge: talk now, to <see cref="To"/> only; tag every frame with this channel and burst id, and end
    /// with <c>floor-release</c> as for any burst. The channel's own floor stays free.
    /// </summary>
    public sealed class ReplyGranted : ControlMessage
    {
        public byte Channel;
        public uint BurstId;

        /// <summary>After this long the gateway ends the burst; the badge stops sending a little before.</summary>
        public ushort MaxTalkSeconds;

        private readonly WireText _to = new WireText();

        /// <summary>Who hears it: a badge's name or a Matrix user's display name.</summary>
        public string To
        {
            get { return _to.Text; }
            set { _to.Text = value; }
        }

        public override byte Type
        {
            get { return MessageType.ReplyGranted; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteUInt32(BurstId);
            writer.WriteUInt16(MaxTalkSeconds);
            _to.Write(writer);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            BurstId = reader.ReadUInt32();
            MaxTalkSeconds = reader.ReadUInt16();
            _to.Read(reader);
            if (MaxTalkSeconds == 0)
            {
                reader.Fail(ProtocolError.Malformed);
            }
        }
    }
}
