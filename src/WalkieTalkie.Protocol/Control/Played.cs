using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Badge to gateway: this burst was played to its end (the gateway marks it heard, and tells Matrix).</summary>
    public sealed class Played : ControlMessage
    {
        public uint BurstId;

        public override byte Type
        {
            get { return MessageType.Played; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteUInt32(BurstId);
        }

        internal override void ReadBody(PacketReader reader)
        {
            BurstId = reader.ReadUInt32();
        }
    }
}
