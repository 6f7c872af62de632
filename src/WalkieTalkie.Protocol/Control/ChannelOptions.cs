using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Gateway to badge, after every <c>config</c>: per channel choices that are not part of <c>config</c>, so a badge
    /// that does not know this message still reads its config. A channel not listed keeps the defaults
    /// (<see cref="ChannelFlags.Defaults"/>).
    /// </summary>
    public sealed class ChannelOptions : ControlMessage
    {
        public const int MaxEntries = Config.MaxChannels;

        public ChannelOption[] Entries = new ChannelOption[0];

        public override byte Type
        {
            get { return MessageType.ChannelOptions; }
        }

        /// <summary>The flags of <paramref name="channel"/>: the listed ones, or the defaults.</summary>
        public byte FlagsOf(byte channel)
        {
            for (var i = 0; i < Entries.Length; i++)
            {
                if (Entries[i].Channel == channel)
                {
                    return Entries[i].Flags;
                }
            }

            return ChannelFlags.Defaults;
        }

        internal override void WriteBody(PacketWriter writer)
        {
            var count = Entries.Length > MaxEntries ? MaxEntries : Entries.Length;
            writer.WriteByte((byte)count);
            for (var i = 0; i < count; i++)
            {
                writer.WriteByte(Entries[i].Channel);
                writer.WriteByte(Entries[i].Flags);
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

            Entries = new ChannelOption[count];
            for (var i = 0; i < count && reader.Error == ProtocolError.None; i++)
            {
                var entry = new ChannelOption();
                entry.Channel = reader.ReadByte();
                entry.Flags = reader.ReadByte();
                if ((entry.Flags & ~ChannelFlags.Known) != 0 || AppearsBefore(entry.Channel, i))
                {
                    reader.Fail(ProtocolError.Malformed);
                }

                Entries[i] = entry;
            }
        }

        private bool AppearsBefore(byte channel, int count)
        {
            for (var i = 0; i < count; i++)
            {
                if (Entries[i].Channel == channel)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
