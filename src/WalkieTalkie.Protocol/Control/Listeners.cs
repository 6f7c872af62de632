using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Gateway to talker, right after <c>floor-granted</c>: who hears this burst. A separate message rather than a
    /// longer grant, because a badge that does not know it refuses a grant with trailing bytes but only skips an
    /// unknown type.
    /// </summary>
    public sealed class Listeners : ControlMessage
    {
        public byte Channel;
        public uint BurstId;

        /// <summary>Badges awake with a receive permit that hear the burst now (at most 255).</summary>
        public byte Live;

        /// <summary>Members with a receive permit that are asleep or away and get it from their unplayed queue (at most 255).</summary>
        public byte Later;

        public override byte Type
        {
            get { return MessageType.Listeners; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteUInt32(BurstId);
            writer.WriteByte(Live);
            writer.WriteByte(Later);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            BurstId = reader.ReadUInt32();
            Live = reader.ReadByte();
            Later = reader.ReadByte();
        }
    }
}
