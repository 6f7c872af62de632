using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Gateway to the talker: the floor was taken from you (preempted, time up, lease lost, collision).</summary>
    public sealed class FloorRevoked : ControlMessage
    {
        public byte Channel;
        public uint BurstId;
        public EndReason Reason;

        public override byte Type
        {
            get { return MessageType.FloorRevoked; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteUInt32(BurstId);
            writer.WriteByte((byte)Reason);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            BurstId = reader.ReadUInt32();
            Reason = EndReasons.Read(reader);
        }
    }
}
