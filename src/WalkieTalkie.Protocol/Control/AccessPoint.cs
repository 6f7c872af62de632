using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Badge to gateway: the Wi-Fi access point the badge is connected to (its BSSID) and its signal. Sent when it
    /// changes; the gateway maps it to a named zone only where the site turned zones on.
    /// </summary>
    public sealed class AccessPoint : ControlMessage
    {
        /// <summary>The BSSID, six bytes (written as aa:bb:cc:dd:ee:ff).</summary>
        public readonly byte[] Bssid = new byte[BssidFormat.Length];

        /// <summary>Signal in dBm (≤ 0; 0 unknown).</summary>
        public sbyte Rssi;

        public override byte Type
        {
            get { return MessageType.AccessPoint; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            for (var i = 0; i < Bssid.Length; i++)
            {
                writer.WriteByte(Bssid[i]);
            }

            writer.WriteSByte(Rssi);
        }

        internal override void ReadBody(PacketReader reader)
        {
            for (var i = 0; i < Bssid.Length; i++)
            {
                Bssid[i] = reader.ReadByte();
            }

            Rssi = reader.ReadSByte();
            if (Rssi > 0)
            {
                reader.Fail(ProtocolError.Malformed);
            }
        }
    }
}
