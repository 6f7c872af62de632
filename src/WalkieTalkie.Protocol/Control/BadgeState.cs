using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Badge to gateway, retained on <c>up/state</c>: what the badge does, its battery, signal and firmware.
    /// The badge's MQTT last will is the text of <see cref="LastWill"/>, which the gateway reads as this message with
    /// <see cref="BadgeStatus.Offline"/>.
    /// </summary>
    public sealed class BadgeState : ControlMessage
    {
        public const byte UnknownPercent = 255;

        public BadgeStatus Status;

        /// <summary>The channel the wearer has selected.</summary>
        public byte Channel;

        /// <summary>Battery voltage in millivolts, 0 when unknown.</summary>
        public ushort BatteryMillivolts;

        /// <summary>Battery charge 0..100, or <see cref="UnknownPercent"/>.</summary>
        public byte BatteryPercent = UnknownPercent;

        /// <summary>Wi-Fi signal in dBm (negative), 0 when unknown.</summary>
        public sbyte Rssi;
        public string Firmware = string.Empty;

        public override byte Type
        {
            get { return MessageType.BadgeState; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte((byte)Status);
            writer.WriteByte(Channel);
            writer.WriteUInt16(BatteryMillivolts);
            writer.WriteByte(BatteryPercent);
            writer.WriteSByte(Rssi);
            writer.WriteString(Firmware);
        }

        internal override void ReadBody(PacketReader reader)
        {
            var status = reader.ReadByte();
            Channel = reader.ReadByte();
            BatteryMillivolts = reader.ReadUInt16();
            BatteryPercent = reader.ReadByte();
            Rssi = reader.ReadSByte();
            Firmware = reader.ReadString();
            if (status < (byte)BadgeStatus.Idle || status > (byte)BadgeStatus.Offline
                || (BatteryPercent > 100 && BatteryPercent != UnknownPercent) || Rssi > 0)
            {
                reader.Fail(ProtocolError.Malformed);
            }

            Status = (BadgeStatus)status;
        }
    }
}
