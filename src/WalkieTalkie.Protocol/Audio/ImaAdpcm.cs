namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// The IMA ADPCM block layout of Microsoft IMA ADPCM WAV files (format 0x0011), mono: a 4-byte header
    /// (the first sample as int16 little-endian, the step index, a reserved zero byte), then 4-bit codes,
    /// two to a byte, low nibble first. A block of B bytes holds (B - 4) * 2 + 1 samples: the first sample
    /// is stored whole in the header, so a block always holds an odd number of samples.
    /// </summary>
    public static class ImaAdpcm
    {
        /// <summary>
        /// Samples in one block as the protocol sends it: 42 ms at 8 kHz, 21 ms at 16 kHz. Long enough that a talking
        /// badge costs under 50 kbit/s on the wire at 8 kHz with one block per frame, TCP/IP included (each frame carries
        /// about 90 bytes of headers and topic), short enough to add only 2 ms to a block of 40 ms (docs/benchmarks.md,
        /// "On the wire").
        /// </summary>
        public const int DefaultSamplesPerBlock = 337;

        /// <summary>Bytes in one block of <see cref="DefaultSamplesPerBlock"/> samples.</summary>
        public const int DefaultBlockBytes = 172;

        /// <summary>Bytes of the block header: first sample (2), step index (1), reserved (1).</summary>
        public const int HeaderBytes = 4;

        /// <summary>The largest valid step index.</summary>
        public const int MaxStepIndex = 88;

        /// <summary>The WAV format tag of IMA ADPCM (WAVE_FORMAT_DVI_ADPCM).</summary>
        public const int WavFormatTag = 0x0011;

        /// <summary>Bytes of a block that holds <paramref name="samplesPerBlock"/> samples, or 0 when that count is not odd and positive.</summary>
        public static int BlockBytesFor(int samplesPerBlock)
        {
            if (samplesPerBlock < 1 || (samplesPerBlock & 1) == 0)
            {
                return 0;
            }

            return HeaderBytes + (samplesPerBlock - 1) / 2;
        }

        /// <summary>Samples held by a block of <paramref name="blockBytes"/> bytes, or 0 when it is shorter than the header.</summary>
        public static int SamplesPerBlockFor(int blockBytes)
        {
            if (blockBytes < HeaderBytes)
            {
                return 0;
            }

            return (blockBytes - HeaderBytes) * 2 + 1;
        }
    }
}
