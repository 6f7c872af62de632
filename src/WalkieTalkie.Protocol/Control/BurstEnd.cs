using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Gateway to listener: the burst is over, after this many frames, and why.</summary>
    public sealed class BurstEnd : ControlMessage
    {
        public byte Channel;
        public uint BurstId;
        public EndReason Reason;
        public ushort FrameCount;

        public override byte Type
        {
            get { return MessageType.BurstEnd; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteUInt32(BurstId);
            writer.WriteByte((byte)Reason);
            writer.WriteUInt16(FrameCount);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            BurstId = reader.ReadUInt32();
            Reason = EndReasons.Read(reader);
            FrameCount = reader.ReadUInt16();
        }
    }
}
