using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Protocol.Wire
{
    /// <summary>
    /// One protocol message on a link that has no topics (the web walkie's WebSocket): a byte naming the topic kind it
    /// would travel on over MQTT, then the payload unchanged. So a browser speaks exactly the badge's frames and control
    /// messages, and the topic rules (own up/ topics only, the size of each kind) apply as they are.
    /// </summary>
    public static class WireEnvelope
    {
        /// <summary>The kind byte in front of the payload.</summary>
        public const int HeaderLength = 1;

        /// <summary>The longest envelope: the kind byte and the largest payload (an audio frame).</summary>
        public const int MaxLength = HeaderLength + AudioFrame.MaxLength;

        /// <summary>The largest payload a kind may carry: an audio frame for audio, a control message otherwise.</summary>
        public static int MaxPayload(TopicKind kind)
        {
            return kind == TopicKind.UpAudio || kind == TopicKind.DownAudio ? AudioFrame.MaxLength : ControlMessage.MaxLength;
        }

        /// <summary>True for the kinds a badge (or a browser) sends: up/audio, up/ctl, up/state.</summary>
        public static bool IsUplink(TopicKind kind)
        {
            return kind == TopicKind.UpAudio || kind == TopicKind.UpControl || kind == TopicKind.UpState;
        }

        /// <summary>True for the kinds the gateway sends: down/audio, down/ctl.</summary>
        public static bool IsDownlink(TopicKind kind)
        {
            return kind == TopicKind.DownAudio || kind == TopicKind.DownControl;
        }

        /// <summary>
        /// Reads the envelope in the first <paramref name="length"/> bytes of <paramref name="buffer"/>: its kind, and
        /// the payload from offset <see cref="HeaderLength"/>. Refuses an envelope without payload (<c>Truncated</c>), a
        /// kind that may not come from the other side (<c>UnknownType</c>: <paramref name="uplink"/> says which side
        /// sent it) and a payload longer than its kind allows (<c>Oversized</c>). Never throws.
        /// </summary>
        public static ProtocolError Read(byte[] buffer, int length, bool uplink, out TopicKind kind)
        {
            kind = TopicKind.None;
            if (buffer == null || length < HeaderLength + 1 || length > buffer.Length)
            {
                return ProtocolError.Truncated;
            }

            var read = (TopicKind)buffer[0];
            if (uplink ? !IsUplink(read) : !IsDownlink(read))
            {
                return ProtocolError.UnknownType;
            }

            if (length - HeaderLength > MaxPayload(read))
            {
                return ProtocolError.Oversized;
            }

            kind = read;
            return ProtocolError.None;
        }

        /// <summary>
        /// Writes <paramref name="kind"/> and <paramref name="length"/> bytes of <paramref name="payload"/> from
        /// <paramref name="offset"/> into <paramref name="target"/>; returns the envelope's length, or 0 when the
        /// target is too small or the payload too long for its kind. Allocates nothing.
        /// </summary>
        public static int Write(TopicKind kind, byte[] payload, int offset, int length, byte[] target)
        {
            if (kind == TopicKind.None || payload == null || target == null || offset < 0 || length < 1 || offset > payload.Length - length
                || length > MaxPayload(kind) || target.Length < HeaderLength + length)
            {
                return 0;
            }

            target[0] = (byte)kind;
            System.Array.Copy(payload, offset, target, HeaderLength, length);
            return HeaderLength + length;
        }
    }
}
