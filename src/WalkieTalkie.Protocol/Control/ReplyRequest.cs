using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>
    /// Badge to gateway: the wearer double-pressed push-to-talk to answer the last talker it heard on a channel, and
    /// only them. The gateway answers with <see cref="ReplyGranted"/> or <see cref="ReplyDenied"/>.
    /// </summary>
    public sealed class ReplyRequest : ControlMessage
    {
        /// <summary>The channel whose last talker is answered (the private burst is tagged with it).</summary>
        public byte Channel;

        public override byte Type
        {
            get { return MessageType.ReplyRequest; }
        }

        internal override void WriteBody(PacketWriter writer)
        {
            writer.WriteByte(Channel);
        }

        internal override void ReadBody(PacketReader reader)
        {
            Channel = reader.ReadByte();
        }
    }
}
