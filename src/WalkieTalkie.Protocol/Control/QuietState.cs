using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Gateway to badge: whether the badge is quiet now (quiet hours, do-not-disturb) and how many bursts wait for
    /// the quiet to end; those are left out of its unplayed list until then. Sent when either changes.
    /// </summary>
    public sealed class QuietState : ControlMessage
    {
        public byte Flags;
        public ushort Waiting;

        public override byte Type
        {
            get { return MessageType.QuietState; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Flags);
            writer.WriteUInt16(Waiting);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Flags = reader.ReadByte();
            Waiting = reader.ReadUInt16();
            if ((Flags & ~QuietFlags.Known) != 0)
            {
                reader.Fail(ProtocolError.Malformed);
            }
        }
    }
}
