namespace WalkieTalkie.Protocol.Wire
{
    /// <summary>
    /// Reads little-endian fields from a payload without throwing: a read past the end records
    /// <see cref="ProtocolError.Truncated"/> and returns zero, and the first error sticks, so a message's
    /// reader can read all its fields and check <see cref="Error"/> once at the end.
    /// </summary>
    public sealed class PacketReader
    {
        /// <summary>The longest string a control message may carry, in UTF-8 bytes.</summary>
        public const int MaxStringBytes = 64;

        private static readonly byte[] NoBytes = new byte[0];

        private byte[] _buffer;
        private int _position;
        private int _end;

        public ProtocolError Error { get; private set; }

        public int Remaining
        {
            get { return _end - _position; }
        }

        /// <summary>Points the reader at a payload; a reader is reused, so this resets the error too.</summary>
        public void Reset(byte[] buffer, int offset, int length)
        {
            _buffer = buffer;
            _position = offset;
            _end = offset + length;
            Error = ProtocolError.None;
        }

        public void Fail(ProtocolError error)
        {
            if (Error == ProtocolError.None)
            {
                Error = error;
            }
        }

        public byte ReadByte()
        {
            if (!Ensure(1))
            {
                return 0;
            }

            return _buffer[_position++];
        }

        public sbyte ReadSByte()
        {
            return (sbyte)ReadByte();
        }

        public ushort ReadUInt16()
        {
            if (!Ensure(2))
            {
                return 0;
            }

            var value = (ushort)(_buffer[_position] | (_buffer[_position + 1] << 8));
            _position += 2;
            return value;
        }

        public uint ReadUInt32()
        {
            if (!Ensure(4))
            {
                return 0;
            }

            var value = (uint)(_buffer[_position]
                | (_buffer[_position + 1] << 8)
                | (_buffer[_position + 2] << 16)
                | (_buffer[_position + 3] << 24));
            _position += 4;
            return value;
        }

        /// <summary>A string: one length byte, then that many bytes of UTF-8. Empty string when it fails.</summary>
        public string ReadString()
        {
            int length = ReadByte();
            if (Error != ProtocolError.None)
            {
                return string.Empty;
            }

            if (length > MaxStringBytes)
            {
                Fail(ProtocolError.Oversized);
                return string.Empty;
            }

            if (!Ensure(length))
            {
                return string.Empty;
            }

            var text = Utf8.Decode(_buffer, _position, length);
            _position += length;
            if (text == null)
            {
                Fail(ProtocolError.Malformed);
                return string.Empty;
            }

            return text;
        }

        /// <summary>
        /// A string's bytes, checked to be UTF-8 but not decoded (see <see cref="WireText"/>). Empty when it fails,
        /// with the same errors as <see cref="ReadString"/>.
        /// </summary>
        public byte[] ReadUtf8()
        {
            int length = ReadByte();
            if (Error != ProtocolError.None)
            {
                return NoBytes;
            }

            if (length > MaxStringBytes)
            {
                Fail(ProtocolError.Oversized);
                return NoBytes;
            }

            if (!Ensure(length))
            {
                return NoBytes;
            }

            if (!Utf8.IsValid(_buffer, _position, length))
            {
                Fail(ProtocolError.Malformed);
                return NoBytes;
            }

            var bytes = length == 0 ? NoBytes : new byte[length];
            System.Array.Copy(_buffer, _position, bytes, 0, length);
            _position += length;
            return bytes;
        }

        /// <summary>Records <see cref="ProtocolError.TrailingBytes"/> if anything is left unread.</summary>
        public void ExpectEnd()
        {
            if (Error == ProtocolError.None && _position != _end)
            {
                Error = ProtocolError.TrailingBytes;
            }
        }

        private bool Ensure(int count)
        {
            if (Error != ProtocolError.None)
            {
                return false;
            }

            if (_end - _position < count)
            {
                Error = ProtocolError.Truncated;
                return false;
            }

            return true;
        }
    }
}
