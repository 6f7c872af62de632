using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    internal static class PermitReads
    {
        /// <summary>A permit byte: at least one known bit, no unknown ones.</summary>
        public static byte Read(PacketReader reader)
        {
            var permits = reader.ReadByte();
            if (permits == 0 || (permits & ~Permits.Known) != 0)
            {
                reader.Fail(ProtocolError.Malformed);
            }

            return permits;
        }
    }
}
