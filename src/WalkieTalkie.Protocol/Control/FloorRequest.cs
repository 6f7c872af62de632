using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Badge to gateway: the wearer pressed push-to-talk on a channel.</summary>
    public sealed class FloorRequest : ControlMessage
    {
        /// <summary>The wearer asks for an emergency preemption (a long press), honoured only for priority badges.</summary>
        public const byte EmergencyFlag = 0x01;

        public byte Channel;
        public byte Flags;

        public override byte Type
        {
            get { return MessageType.FloorRequest; }
        }

        public bool IsEmergency
        {
            get { return (Flags & EmergencyFlag) != 0; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteByte(Flags);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            Flags = reader.ReadByte();
            if ((Flags & ~EmergencyFlag) != 0)
            {
                reader.Fail(ProtocolError.Malformed);
            }
        }
    }
}
