using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Gateway to badge: the recordings waiting for it, oldest first (the most recent ones when there are more).</summary>
    public sealed class UnplayedList : ControlMessage
    {
        public const int MaxEntries = 16;

        public UnplayedEntry[] Entries = new UnplayedEntry[0];

        public override byte Type
        {
            get { return MessageType.UnplayedList; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            var count = Entries.Length > MaxEntries ? MaxEntries : Entries.Length;
            var first = Entries.Length - count;
            writer.WriteByte((byte)count);
            for (var i = first; i < Entries.Length; i++)
            {
                var entry = Entries[i];
                writer.WriteUInt32(entry.BurstId);
                writer.WriteByte(entry.Channel);
                writer.WriteUInt32(entry.DurationMs);
                writer.WriteUInt32(entry.RecordedAt);
                entry.TalkerText.Write(writer);
            }
        }

        internal override void ReadBody(PacketReader reader)
        {
            int count = reader.ReadByte();
            if (count > MaxEntries)
            {
                reader.Fail(ProtocolError.Oversized);
                return;
            }

            Entries = new UnplayedEntry[count];
            for (var i = 0; i < count && reader.Error == ProtocolError.None; i++)
            {
                var entry = new UnplayedEntry();
                entry.BurstId = reader.ReadUInt32();
                entry.Channel = reader.ReadByte();
                entry.DurationMs = reader.ReadUInt32();
                entry.RecordedAt = reader.ReadUInt32();
                entry.TalkerText.Read(reader);
                Entries[i] = entry;
            }
        }
    }
}
