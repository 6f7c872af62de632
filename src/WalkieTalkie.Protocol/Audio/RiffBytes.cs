namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>Little-endian fields and four-character codes of RIFF files, over byte arrays.</summary>
    internal static class RiffBytes
    {
        internal static int ReadUInt16(byte[] buffer, int offset)
        {
            return buffer[offset] | (buffer[offset + 1] << 8);
        }

        /// <summary>An unsigned 32-bit field, as a long so sizes above 2 GiB stay positive.</summary>
        internal static long ReadUInt32(byte[] buffer, int offset)
        {
            return (long)(uint)(buffer[offset] | (buffer[offset + 1] << 8) | (buffer[offset + 2] << 16) | (buffer[offset + 3] << 24));
        }

        internal static void WriteUInt16(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
        }

        internal static void WriteUInt32(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
            buffer[offset + 2] = (byte)(value >> 16);
            buffer[offset + 3] = (byte)(value >> 24);
        }

        /// <summary>True when the four bytes at <paramref name="offset"/> are the ASCII characters of <paramref name="code"/>.</summary>
        internal static bool IsCode(byte[] buffer, int offset, string code)
        {
            for (int i = 0; i < 4; i++)
            {
                if (buffer[offset + i] != code[i])
                {
                    return false;
                }
            }

            return true;
        }

        internal static void WriteCode(byte[] buffer, int offset, string code)
        {
            for (int i = 0; i < 4; i++)
            {
                buffer[offset + i] = (byte)code[i];
            }
        }
    }
}
