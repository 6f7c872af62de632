namespace WalkieTalkie.Protocol.Wire
{
    /// <summary>
    /// A name in a control message (a talker, a channel, who offered a permit). Read from the wire, it keeps the
    /// UTF-8 bytes it came in (checked, not decoded) and writes them back unchanged; set by the sender, it is
    /// encoded once when written. A badge never turns a received name into a string and back: nanoFramework's
    /// interpreter returns the high surrogate twice when a string holding a character outside the BMP (an emoji) is
    /// read char by char, so <see cref="Utf8.Encode"/> on the badge made each emoji two U+FFFD (docs/device.md).
    /// </summary>
    public sealed class WireText
    {
        private byte[] _bytes;
        private string _text = string.Empty;

        /// <summary>
        /// The name as a string, decoded on first use when it came from the wire. For the gateway, logs and tests:
        /// badge code passes <see cref="CopyTo"/>'s bytes on instead.
        /// </summary>
        public string Text
        {
            get
            {
                if (_text == null)
                {
                    _text = Utf8.Decode(_bytes, 0, _bytes.Length);
                }

                return _text;
            }

            set
            {
                _text = value == null ? string.Empty : value;
                _bytes = null;
            }
        }

        /// <summary>True when the name holds the bytes read from the wire (false once <see cref="Text"/> was set).</summary>
        public bool IsFromWire
        {
            get { return _bytes != null; }
        }

        /// <summary>The UTF-8 length of the name as read from the wire; -1 when it was set as text.</summary>
        public int ByteCount
        {
            get { return _bytes == null ? -1 : _bytes.Length; }
        }

        /// <summary>Copies the bytes read from the wire to <paramref name="buffer"/>; returns how many (-1 when set as text).</summary>
        public int CopyTo(byte[] buffer, int offset)
        {
            if (_bytes == null)
            {
                return -1;
            }

            System.Array.Copy(_bytes, 0, buffer, offset, _bytes.Length);
            return _bytes.Length;
        }

        internal void Read(PacketReader reader)
        {
            _bytes = reader.ReadUtf8();
            _text = _bytes.Length == 0 ? string.Empty : null;
        }

        internal void Write(PacketWriter writer)
        {
            if (_bytes != null)
            {
                writer.WriteUtf8(_bytes);
            }
            else
            {
                writer.WriteString(_text);
            }
        }
    }
}
