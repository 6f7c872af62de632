using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Badge to gateway: the wearer turned do-not-disturb on or off (a long press of the channel button).</summary>
    public sealed class DoNotDisturb : ControlMessage
    {
        public bool On;

        public override byte Type
        {
            get { return MessageType.DoNotDisturb; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte((byte)(On ? 1 : 0));
        }

        internal override void ReadBody(PacketReader reader)
        {
            var value = reader.ReadByte();
            if (value > 1)
            {
                reader.Fail(ProtocolError.Malformed);
            }

            On = value == 1;
        }
    }
}
