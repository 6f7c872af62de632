using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Badge to gateway: stream me this recording from my unplayed queue, from its start.</summary>
    public sealed class PlayRequest : ControlMessage
    {
        public uint BurstId;

        public override byte Type
        {
            get { return MessageType.PlayRequest; }
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
