using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    internal static class EndReasons
    {
        public static EndReason Read(PacketReader reader)
        {
            var value = reader.ReadByte();
            if (value < (byte)EndReason.Released || value > (byte)EndReason.PermitEnded)
            {
                reader.Fail(ProtocolError.Malformed);
            }

            return (EndReason)value;
        }
    }
}
