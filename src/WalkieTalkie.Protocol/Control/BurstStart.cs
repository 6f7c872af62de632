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

        /// <summary>Who talks: a badge's name or a Matrix user's display name.</summary>
        public string Talker = string.Empty;

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
            writer.WriteString(Talker);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            BurstId = reader.ReadUInt32();
            RateCode = reader.ReadByte();
            Flags = reader.ReadByte();
            RecordedAt = reader.ReadUInt32();
            Talker = reader.ReadString();
            if (Audio.SampleRate.ToHertz(RateCode) == 0 || (Flags & ~BurstFlags.Known) != 0)
            {
                reader.Fail(ProtocolError.Malformed);
            }
        }
    }
}
