using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Gateway to badge: no private reply now, and why.</summary>
    public sealed class ReplyDenied : ControlMessage
    {
        public byte Channel;
        public ReplyDenyReason Reason;

        public override byte Type
        {
            get { return MessageType.ReplyDenied; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteByte((byte)Reason);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            var reason = reader.ReadByte();
            if (reason < (byte)ReplyDenyReason.NoOneToReply || reason > (byte)ReplyDenyReason.Unreachable)
            {
                reader.Fail(ProtocolError.Malformed);
            }

            Reason = (ReplyDenyReason)reason;
        }
    }
}
