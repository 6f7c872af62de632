using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Gateway to badge: not now, and why.</summary>
    public sealed class FloorDenied : ControlMessage
    {
        public byte Channel;
        public DenyReason Reason;

        /// <summary>For <see cref="DenyReason.TooLong"/>: seconds until the badge may talk again; otherwise 0.</summary>
        public ushort RetryAfterSeconds;

        public override byte Type
        {
            get { return MessageType.FloorDenied; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteByte((byte)Reason);
            writer.WriteUInt16(RetryAfterSeconds);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            var reason = reader.ReadByte();
            RetryAfterSeconds = reader.ReadUInt16();
            if (reason < (byte)DenyReason.Busy || reason > (byte)DenyReason.Collision)
            {
                reader.Fail(ProtocolError.Malformed);
            }

            Reason = (DenyReason)reason;
        }
    }
}
