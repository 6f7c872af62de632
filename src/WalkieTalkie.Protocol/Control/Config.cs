using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Gateway to badge: the badge's configuration. The same bytes are served over HTTPS at boot; this message
    /// carries them when they change. A badge caches the newest version so it starts without the gateway.
    /// </summary>
    public sealed class Config : ControlMessage
    {
        public const int MaxChannels = 16;

        /// <summary>Grows with every change; a badge ignores a version older than the one it holds.</summary>
        public uint Version;

        /// <summary>How often a pocket badge wakes to check in, in seconds.</summary>
        public ushort CheckInSeconds;
        public ushort MaxTalkSeconds;

        /// <summary>ADPCM blocks per MQTT message: fewer messages cost the badge less, more blocks add latency.</summary>
        public byte BlocksPerFrame;
        public PlaybackOrder Order;
        public ChannelConfig[] Channels = new ChannelConfig[0];

        public override byte Type
        {
            get { return MessageType.Config; }
        }

        /// <summary>The configuration of <paramref name="channel"/>, or null when the badge is not a member.</summary>
        public ChannelConfig Find(byte channel)
        {
            for (var i = 0; i < Channels.Length; i++)
            {
                if (Channels[i].Channel == channel)
                {
                    return Channels[i];
                }
            }

            return null;
        }

        private bool AppearsBefore(byte channel, int count)
        {
            for (var i = 0; i < count; i++)
            {
                if (Channels[i].Channel == channel)
                {
                    return true;
                }
            }

            return false;
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteUInt32(Version);
            writer.WriteUInt16(CheckInSeconds);
            writer.WriteUInt16(MaxTalkSeconds);
            writer.WriteByte(BlocksPerFrame);
            writer.WriteByte((byte)Order);
            var count = Channels.Length > MaxChannels ? MaxChannels : Channels.Length;
            writer.WriteByte((byte)count);
            for (var i = 0; i < count; i++)
            {
                var channel = Channels[i];
                writer.WriteByte(channel.Channel);
                writer.WriteByte(channel.RateCode);
                writer.WriteByte(channel.Permits);
                writer.WriteUInt32(channel.PermitUntil);
                channel.NameText.Write(writer);
            }
        }

        internal override void ReadBody(PacketReader reader)
        {
            Version = reader.ReadUInt32();
            CheckInSeconds = reader.ReadUInt16();
            MaxTalkSeconds = reader.ReadUInt16();
            BlocksPerFrame = reader.ReadByte();
            var order = reader.ReadByte();
            int count = reader.ReadByte();
            if (reader.Error != ProtocolError.None)
            {
                return;
            }

            if (count > MaxChannels)
            {
                reader.Fail(ProtocolError.Oversized);
                return;
            }

            if (BlocksPerFrame == 0 || BlocksPerFrame > Frames.AudioFrame.MaxBlocks || MaxTalkSeconds == 0
                || order > (byte)PlaybackOrder.NewestChannelFirst)
            {
                reader.Fail(ProtocolError.Malformed);
            }

            Order = (PlaybackOrder)order;
            Channels = new ChannelConfig[count];
            for (var i = 0; i < count && reader.Error == ProtocolError.None; i++)
            {
                var channel = new ChannelConfig();
                channel.Channel = reader.ReadByte();
                channel.RateCode = reader.ReadByte();
                channel.Permits = reader.ReadByte();
                channel.PermitUntil = reader.ReadUInt32();
                channel.NameText.Read(reader);
                if (Audio.SampleRate.ToHertz(channel.RateCode) == 0 || (channel.Permits & ~Permits.Known) != 0
                    || AppearsBefore(channel.Channel, i))
                {
                    reader.Fail(ProtocolError.Malformed);
                }

                Channels[i] = channel;
            }
        }
    }
}
