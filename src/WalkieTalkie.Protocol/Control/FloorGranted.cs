using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Gateway to badge: talk now; tag every frame with this burst id.</summary>
    public sealed class FloorGranted : ControlMessage
    {
        public byte Channel;
        public uint BurstId;

        /// <summary>After this long the gateway ends the burst; the badge stops sending a little before.</summary>
        public ushort MaxTalkSeconds;

        public override byte Type
        {
            get { return MessageType.FloorGranted; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteUInt32(BurstId);
            writer.WriteUInt16(MaxTalkSeconds);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            BurstId = reader.ReadUInt32();
            MaxTalkSeconds = reader.ReadUInt16();
            if (MaxTalkSeconds == 0)
            {
                reader.Fail(ProtocolError.Malformed);
            }
        }
    }
}
