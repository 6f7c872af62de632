using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Gateway to a standby badge: power the audio path up (or fetch config, or show a permit offer).</summary>
    public sealed class Wake : ControlMessage
    {
        public WakeReason Reason;
        public byte Channel;

        /// <summary>The burst that caused the wake, or 0.</summary>
        public uint BurstId;

        public override byte Type
        {
            get { return MessageType.Wake; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte((byte)Reason);
            writer.WriteByte(Channel);
            writer.WriteUInt32(BurstId);
        }

        internal override void ReadBody(PacketReader reader)
        {
            var reason = reader.ReadByte();
            Channel = reader.ReadByte();
            BurstId = reader.ReadUInt32();
            if (reason < (byte)WakeReason.Burst || reason > (byte)WakeReason.Permit)
            {
                reader.Fail(ProtocolError.Malformed);
            }

            Reason = (WakeReason)reason;
        }
    }
}
