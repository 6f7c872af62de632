using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Badge to gateway, just before it sleeps: which idle state, and when a pocket badge checks in next.</summary>
    public sealed class SleepAnnouncement : ControlMessage
    {
        public SleepMode Mode;

        /// <summary>Seconds until the next check-in (pocket), 0 when none is planned (standby, or button-only).</summary>
        public uint NextCheckInSeconds;

        public override byte Type
        {
            get { return MessageType.SleepAnnouncement; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte((byte)Mode);
            writer.WriteUInt32(NextCheckInSeconds);
        }

        internal override void ReadBody(PacketReader reader)
        {
            var mode = reader.ReadByte();
            NextCheckInSeconds = reader.ReadUInt32();
            if (mode != (byte)SleepMode.Standby && mode != (byte)SleepMode.Pocket)
            {
                reader.Fail(ProtocolError.Malformed);
            }

            Mode = (SleepMode)mode;
        }
    }
}
