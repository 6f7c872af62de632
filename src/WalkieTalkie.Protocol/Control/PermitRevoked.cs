using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Gateway to badge: these permits ended (revoked by a parent or admin, or expired).</summary>
    public sealed class PermitRevoked : ControlMessage
    {
        public byte Channel;
        public byte Permits;
        public RevokeReason Reason;

        public override byte Type
        {
            get { return MessageType.PermitRevoked; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
            writer.WriteByte(Permits);
            writer.WriteByte((byte)Reason);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
            Permits = PermitReads.Read(reader);
            var reason = reader.ReadByte();
            if (reason != (byte)RevokeReason.Revoked && reason != (byte)RevokeReason.Expired)
            {
                reader.Fail(ProtocolError.Malformed);
            }

            Reason = (RevokeReason)reason;
        }
    }
}
