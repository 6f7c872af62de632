using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Badge to gateway: the wearer let go; how many frames were sent, so the gateway knows what is missing.</summary>
    public sealed class FloorRelease : ControlMessage
    {
        public byte Channel;
        public uint BurstId;
        public ushort FrameCount;

        public override byte Type
        {
            get { return MessageType.FloorRelease; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteUInt32(BurstId);
            writer.WriteUInt16(FrameCount);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            BurstId = reader.ReadUInt32();
            FrameCount = reader.ReadUInt16();
        }
    }
}
