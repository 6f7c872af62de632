namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// Writes WAV headers of a fixed length for mono IMA ADPCM and 16-bit PCM, so a recorder can write the
    /// header first with sizes of 0, append the audio, and write the header again over the first one once
    /// the sizes are known. A header that was never rewritten (a crash) still reads: <see cref="WavReader"/>
    /// takes a data size of 0 to mean "to the end of the file".
    /// </summary>
    public static class WavWriter
    {
        /// <summary>The WAV format tag of integer PCM.</summary>
        public const int PcmFormatTag = 0x0001;

        /// <summary>Bytes of an IMA ADPCM header: RIFF (12), fmt with cbSize 2 (28), fact (12), data header (8).</summary>
        public const int ImaAdpcmHeaderBytes = 60;

        /// <summary>Bytes of a PCM header: RIFF (12), fmt (24), data header (8).</summary>
        public const int PcmHeaderBytes = 44;

        /// <summary>
        /// Writes the header of a mono IMA ADPCM file of <paramref name="blockCount"/> blocks of
        /// <paramref name="blockBytes"/> bytes, of which <paramref name="sampleCount"/> samples are to be played
        /// (the fact chunk; at most blockCount * samples per block). Pass 0 for both counts before recording.
        /// </summary>
        /// <returns><see cref="ImaAdpcmHeaderBytes"/>, or a negative <see cref="WavError"/> code.</returns>
        public static int WriteImaAdpcmHeader(byte[] buffer, int offset, int sampleRate, int blockBytes, int blockCount, int sampleCount)
        {
            if (buffer == null)
            {
                return WavError.NullBuffer;
            }

            if (offset < 0 || offset > buffer.Length - ImaAdpcmHeaderBytes)
            {
                return WavError.BufferTooSmall;
            }

            if (sampleRate <= 0)
            {
                return WavError.BadSampleRate;
            }

            int samplesPerBlock = ImaAdpcm.SamplesPerBlockFor(blockBytes);
            if (samplesPerBlock == 0 || samplesPerBlock > 0xFFFF || blockCount < 0 || sampleCount < 0)
            {
                return WavError.BadSize;
            }

            long dataBytes = (long)blockCount * blockBytes;
            if (dataBytes > 0x7FFFFFFF - ImaAdpcmHeaderBytes || sampleCount > (long)blockCount * samplesPerBlock)
            {
                return WavError.BadSize;
            }

            int at = WriteRiff(buffer, offset, ImaAdpcmHeaderBytes - 8 + (int)dataBytes);
            RiffBytes.WriteCode(buffer, at, "fmt ");
            RiffBytes.WriteUInt32(buffer, at + 4, 20);
            RiffBytes.WriteUInt16(buffer, at + 8, ImaAdpcm.WavFormatTag);
            RiffBytes.WriteUInt16(buffer, at + 10, 1);
            RiffBytes.WriteUInt32(buffer, at + 12, sampleRate);
            RiffBytes.WriteUInt32(buffer, at + 16, (int)((long)sampleRate * blockBytes / samplesPerBlock));
            RiffBytes.WriteUInt16(buffer, at + 20, blockBytes);
            RiffBytes.WriteUInt16(buffer, at + 22, 4);
            RiffBytes.WriteUInt16(buffer, at + 24, 2);
            RiffBytes.WriteUInt16(buffer, at + 26, samplesPerBlock);
            at += 28;
            RiffBytes.WriteCode(buffer, at, "fact");
            RiffBytes.WriteUInt32(buffer, at + 4, 4);
            RiffBytes.WriteUInt32(buffer, at + 8, sampleCount);
            at += 12;
            RiffBytes.WriteCode(buffer, at, "data");
            RiffBytes.WriteUInt32(buffer, at + 4, (int)dataBytes);
            return ImaAdpcmHeaderBytes;
        }

        /// <summary>Writes the header of a mono 16-bit PCM file of <paramref name="sampleCount"/> samples (0 before recording).</summary>
        /// <returns><see cref="PcmHeaderBytes"/>, or a negative <see cref="WavError"/> code.</returns>
        public static int WritePcmHeader(byte[] buffer, int offset, int sampleRate, int sampleCount)
        {
            if (buffer == null)
            {
                return WavError.NullBuffer;
            }

            if (offset < 0 || offset > buffer.Length - PcmHeaderBytes)
            {
                return WavError.BufferTooSmall;
            }

            if (sampleRate <= 0 || sampleRate > 0x3FFFFFFF)
            {
                return WavError.BadSampleRate;
            }

            if (sampleCount < 0 || sampleCount > (0x7FFFFFFF - PcmHeaderBytes) / 2)
            {
                return WavError.BadSize;
            }

            int at = WriteRiff(buffer, offset, PcmHeaderBytes - 8 + sampleCount * 2);
            RiffBytes.WriteCode(buffer, at, "fmt ");
            RiffBytes.WriteUInt32(buffer, at + 4, 16);
            RiffBytes.WriteUInt16(buffer, at + 8, PcmFormatTag);
            RiffBytes.WriteUInt16(buffer, at + 10, 1);
            RiffBytes.WriteUInt32(buffer, at + 12, sampleRate);
            RiffBytes.WriteUInt32(buffer, at + 16, sampleRate * 2);
            RiffBytes.WriteUInt16(buffer, at + 20, 2);
            RiffBytes.WriteUInt16(buffer, at + 22, 16);
            at += 24;
            RiffBytes.WriteCode(buffer, at, "data");
            RiffBytes.WriteUInt32(buffer, at + 4, sampleCount * 2);
            return PcmHeaderBytes;
        }

        private static int WriteRiff(byte[] buffer, int offset, int riffSize)
        {
            RiffBytes.WriteCode(buffer, offset, "RIFF");
            RiffBytes.WriteUInt32(buffer, offset + 4, riffSize);
            RiffBytes.WriteCode(buffer, offset + 8, "WAVE");
            return offset + 12;
        }
    }
}
