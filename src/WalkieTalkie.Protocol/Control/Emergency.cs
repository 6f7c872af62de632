using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Badge to gateway: the wearer opened an emergency (SOS: the second button held for the SOS time) or cancelled
    /// its own open emergency with the same gesture.
    /// </summary>
    public sealed class Emergency : ControlMessage
    {
        public bool Open;

        public override byte Type
        {
            get { return MessageType.Emergency; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte((byte)(Open ? 1 : 0));
        }

        internal override void ReadBody(PacketReader reader)
        {
            var value = reader.ReadByte();
            if (value > 1)
            {
                reader.Fail(ProtocolError.Malformed);
            }

            Open = value == 1;
        }
    }
}
