namespace WalkieTalkie.Protocol.Wire
{
    /// <summary>
    /// Writes little-endian fields into a caller's buffer. Writing past the end sets <see cref="Overflowed"/>
    /// and writes nothing more, so a message writer checks once at the end.
    /// </summary>
    public sealed class PacketWriter
    {
        private byte[] _buffer;
        private int _start;
        private int _position;
        private int _end;

        public bool Overflowed { get; private set; }

        public int Written
        {
            get { return _position - _start; }
        }

        public void Reset(byte[] buffer, int offset, int length)
        {
            _buffer = buffer;
            _start = offset;
            _position = offset;
            _end = offset + length;
            Overflowed = false;
        }

        public void WriteByte(byte value)
        {
            if (Ensure(1))
            {
                _buffer[_position++] = value;
            }
        }

        public void WriteSByte(sbyte value)
        {
            WriteByte((byte)value);
        }

        public void WriteUInt16(ushort value)
        {
            if (Ensure(2))
            {
                _buffer[_position++] = (byte)value;
                _buffer[_position++] = (byte)(value >> 8);
            }
        }

        public void WriteUInt32(uint value)
        {
            if (Ensure(4))
            {
                _buffer[_position++] = (byte)value;
                _buffer[_position++] = (byte)(value >> 8);
                _buffer[_position++] = (byte)(value >> 16);
                _buffer[_position++] = (byte)(value >> 24);
            }
        }

        /// <summary>
        /// Writes a length byte and the UTF-8 of <paramref name="text"/>. A string longer than
        /// <see cref="PacketReader.MaxStringBytes"/> is cut at a character boundary, so names never break a message.
        /// </summary>
        public void WriteString(string text)
        {
            if (text == null)
            {
                text = string.Empty;
            }

            var length = Utf8.GetByteCount(text);
            while (length > PacketReader.MaxStringBytes)
            {
                var cut = text.Length - 1;
                if (cut > 0 && text[cut] >= 0xDC00 && text[cut] <= 0xDFFF)
                {
                    cut--;
                }

                text = text.Substring(0, cut);
                length = Utf8.GetByteCount(text);
            }

            if (Ensure(1 + length))
            {
                _buffer[_position++] = (byte)length;
                _position += Utf8.Encode(text, _buffer, _position);
            }
        }

        /// <summary>
        /// Writes a length byte and <paramref name="utf8"/> as it is: a name kept from the wire (<see cref="WireText"/>),
        /// which <see cref="PacketReader.ReadUtf8"/> bounded to <see cref="PacketReader.MaxStringBytes"/>.
        /// </summary>
        internal void WriteUtf8(byte[] utf8)
        {
            if (Ensure(1 + utf8.Length))
            {
                _buffer[_position++] = (byte)utf8.Length;
                System.Array.Copy(utf8, 0, _buffer, _position, utf8.Length);
                _position += utf8.Length;
            }
        }

        private bool Ensure(int count)
        {
            if (Overflowed)
            {
                return false;
            }

            if (_end - _position < count)
            {
                Overflowed = true;
                return false;
            }

            return true;
        }
    }
}
