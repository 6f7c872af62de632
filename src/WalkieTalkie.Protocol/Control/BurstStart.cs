using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Gateway to listener: a burst begins on a channel; its frames follow on down/audio.</summary>
    public sealed class BurstStart : ControlMessage
    {
        public byte Channel;
        public uint BurstId;
        public byte RateCode;
        public byte Flags;

        /// <summary>When the burst began, in Unix seconds (what a replay announces).</summary>
        public uint RecordedAt;

        private readonly WireText _talker = new WireText();

        /// <summary>Who talks: a badge's name or a Matrix user's display name.</summary>
        public string Talker
        {
            get { return _talker.Text; }
            set { _talker.Text = value; }
        }

        /// <summary>The talker's name as received: its UTF-8 bytes, kept (what a badge passes on).</summary>
        public WireText TalkerText
        {
            get { return _talker; }
        }

        public override byte Type
        {
            get { return MessageType.BurstStart; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteUInt32(BurstId);
            writer.WriteByte(RateCode);
            writer.WriteByte(Flags);
            writer.WriteUInt32(RecordedAt);
            _talker.Write(writer);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            BurstId = reader.ReadUInt32();
            RateCode = reader.ReadByte();
            Flags = reader.ReadByte();
            RecordedAt = reader.ReadUInt32();
            _talker.Read(reader);
            if (Audio.SampleRate.ToHertz(RateCode) == 0 || (Flags & ~BurstFlags.Known) != 0)
            {
                reader.Fail(ProtocolError.Malformed);
            }
        }
    }
}
