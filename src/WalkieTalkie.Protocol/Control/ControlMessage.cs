using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// A control message: version, type, then a body of fixed shape per type. Control messages travel on the
    /// <c>ctl</c> and <c>state</c> topics with QoS 1; they are rare, so unlike audio frames they are objects.
    /// </summary>
    public abstract class ControlMessage
    {
        /// <summary>The largest control payload; anything longer is refused unread.</summary>
        public const int MaxLength = 1024;

        public abstract byte Type { get; }

        internal abstract void WriteBody(PacketWriter writer);

        internal abstract void ReadBody(PacketReader reader);

        /// <summary>Writes the message; returns its length, or -1 when it does not fit in <paramref name="length"/> bytes.</summary>
        public int Write(byte[] buffer, int offset, int length)
        {
            var writer = new PacketWriter();
            writer.Reset(buffer, offset, length);
            writer.WriteByte(ProtocolVersion.Current);
            writer.WriteByte(Type);
            WriteBody(writer);
            return writer.Overflowed ? -1 : writer.Written;
        }

        /// <summary>The message as a payload of exactly its length, as MQTT clients want it.</summary>
        public byte[] ToBytes()
        {
            var scratch = new byte[MaxLength];
            var length = Write(scratch, 0, scratch.Length);
            var payload = new byte[length < 0 ? 0 : length];
            System.Array.Copy(scratch, payload, payload.Length);
            return payload;
        }
    }
}
