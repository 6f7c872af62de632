using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Protocol.Frames
{
    /// <summary>
    /// One audio frame: a 12-byte header and one or more IMA-ADPCM blocks of one burst. Reading fills this
    /// object and points at the blocks inside the caller's buffer; nothing is copied and nothing allocated,
    /// so one instance serves every frame a badge or the gateway handles.
    /// </summary>
    /// <remarks>
    /// Layout (little-endian): version, type (0x01), channel, flags, burst id (u32), sequence (u16),
    /// sample rate code, block count, then block count blocks of equal length. See docs/protocol.md.
    /// </remarks>
    public sealed class AudioFrame
    {
        public const byte Type = 0x01;
        public const int HeaderLength = 12;

        // Where the flags byte sits in the header.
        private const int FlagsOffset = 3;

        /// <summary>The most blocks one frame may carry; more only adds latency.</summary>
        public const int MaxBlocks = 8;

        /// <summary>The longest block a frame may carry (4093 samples), so a frame never exceeds <see cref="MaxLength"/>.</summary>
        public const int MaxBlockBytes = 2048;

        /// <summary>The largest frame on the wire; brokers and the gateway refuse bigger audio payloads.</summary>
        public const int MaxLength = 4096;

        /// <summary>The smallest block: the 4-byte header and one byte of codes.</summary>
        public const int MinBlockBytes = 5;

        public byte Channel;
        public byte Flags;
        public uint BurstId;
        public ushort Sequence;
        public byte RateCode;
        public byte BlockCount;

        /// <summary>The buffer the frame was read from; the blocks start at <see cref="BlocksOffset"/>.</summary>
        public byte[] Buffer;
        public int BlocksOffset;
        public int BlocksLength;

        public int BlockBytes
        {
            get { return BlockCount == 0 ? 0 : BlocksLength / BlockCount; }
        }

        public int SamplesPerBlock
        {
            get { return (BlockBytes - 4) * 2 + 1; }
        }

        public bool IsFirst
        {
            get { return (Flags & FrameFlags.First) != 0; }
        }

        public bool IsLast
        {
            get { return (Flags & FrameFlags.Last) != 0; }
        }

        public bool IsReplay
        {
            get { return (Flags & FrameFlags.Replay) != 0; }
        }

        /// <summary>The offset of block <paramref name="index"/> in <see cref="Buffer"/>.</summary>
        public int BlockOffset(int index)
        {
            return BlocksOffset + index * BlockBytes;
        }

        /// <summary>Reads a frame; on any error the fields are undefined and nothing else happens.</summary>
        public ProtocolError Read(byte[] buffer, int offset, int length)
        {
            if (buffer == null || offset < 0 || length < 0 || offset > buffer.Length - length)
            {
                return ProtocolError.Truncated;
            }

            if (length > MaxLength)
            {
                return ProtocolError.Oversized;
            }

            if (length < 2)
            {
                return ProtocolError.Truncated;
            }

            if (buffer[offset] != ProtocolVersion.Current)
            {
                return ProtocolError.UnknownVersion;
            }

            if (buffer[offset + 1] != Type)
            {
                return ProtocolError.UnknownType;
            }

            if (length < HeaderLength)
            {
                return ProtocolError.Truncated;
            }

            Channel = buffer[offset + 2];
            Flags = buffer[offset + FlagsOffset];
            BurstId = (uint)(buffer[offset + 4] | (buffer[offset + 5] << 8) | (buffer[offset + 6] << 16) | (buffer[offset + 7] << 24));
            Sequence = (ushort)(buffer[offset + 8] | (buffer[offset + 9] << 8));
            RateCode = buffer[offset + 10];
            BlockCount = buffer[offset + 11];
            Buffer = buffer;
            BlocksOffset = offset + HeaderLength;
            BlocksLength = length - HeaderLength;

            if ((Flags & ~FrameFlags.Known) != 0 || SampleRate.ToHertz(RateCode) == 0)
            {
                return ProtocolError.Malformed;
            }

            if (BlockCount == 0 || BlockCount > MaxBlocks)
            {
                return ProtocolError.Malformed;
            }

            if (BlocksLength < BlockCount * MinBlockBytes)
            {
                return ProtocolError.Truncated;
            }

            if (BlocksLength % BlockCount != 0 || BlockBytes > MaxBlockBytes)
            {
                return ProtocolError.Malformed;
            }

            return ProtocolError.None;
        }

        /// <summary>The length of a frame carrying <paramref name="blockCount"/> blocks of <paramref name="blockBytes"/> bytes.</summary>
        public static int LengthFor(int blockCount, int blockBytes)
        {
            return HeaderLength + blockCount * blockBytes;
        }

        /// <summary>
        /// Flags the frame written at <paramref name="offset"/> as a replay (a copy of a live frame sent to a late
        /// listener, or a recording played back). Returns false when the buffer holds no frame header there.
        /// </summary>
        public static bool MarkReplay(byte[] buffer, int offset)
        {
            if (buffer == null || offset < 0 || offset > buffer.Length - HeaderLength || buffer[offset + 1] != Type)
            {
                return false;
            }

            buffer[offset + FlagsOffset] = (byte)(buffer[offset + FlagsOffset] | FrameFlags.Replay);
            return true;
        }

        /// <summary>
        /// Writes the header at <paramref name="offset"/>; the blocks go right after it (an encoder writes them in
        /// place). Returns the frame's length, or -1 when the buffer is too small or a value is out of range.
        /// </summary>
        public static int WriteHeader(byte[] buffer, int offset, byte channel, byte flags, uint burstId,
            ushort sequence, byte rateCode, int blockCount, int blockBytes)
        {
            var length = LengthFor(blockCount, blockBytes);
            if (buffer == null || offset < 0 || offset > buffer.Length - length || length > MaxLength
                || blockCount < 1 || blockCount > MaxBlocks || blockBytes < MinBlockBytes || blockBytes > MaxBlockBytes
                || (flags & ~FrameFlags.Known) != 0 || SampleRate.ToHertz(rateCode) == 0)
            {
                return -1;
            }

            buffer[offset] = ProtocolVersion.Current;
            buffer[offset + 1] = Type;
            buffer[offset + 2] = channel;
            buffer[offset + FlagsOffset] = flags;
            buffer[offset + 4] = (byte)burstId;
            buffer[offset + 5] = (byte)(burstId >> 8);
            buffer[offset + 6] = (byte)(burstId >> 16);
            buffer[offset + 7] = (byte)(burstId >> 24);
            buffer[offset + 8] = (byte)sequence;
            buffer[offset + 9] = (byte)(sequence >> 8);
            buffer[offset + 10] = rateCode;
            buffer[offset + 11] = (byte)blockCount;
            return length;
        }
    }
}
