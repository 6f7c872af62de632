namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// Decodes IMA ADPCM blocks (Microsoft WAV layout, mono) with the reference computation, so its output
    /// is sample for sample that of sox. Stateless: every block is self-contained.
    /// </summary>
    public static class ImaAdpcmDecoder
    {
        /// <summary>
        /// Decodes one block of <paramref name="length"/> bytes into <paramref name="samples"/> from
        /// <paramref name="sampleOffset"/>: (length - 4) * 2 + 1 samples.
        /// </summary>
        /// <returns>The number of samples written, or a negative <see cref="AdpcmError"/> code (nothing thrown).</returns>
        public static int DecodeBlock(byte[] block, int offset, int length, short[] samples, int sampleOffset)
        {
            if (block == null || samples == null)
            {
                return AdpcmError.NullBuffer;
            }

            if (offset < 0 || length < ImaAdpcm.HeaderBytes || offset > block.Length - length)
            {
                return AdpcmError.BlockTooShort;
            }

            int index = block[offset + 2];
            if (index > ImaAdpcm.MaxStepIndex)
            {
                return AdpcmError.BadStepIndex;
            }

            int count = (length - ImaAdpcm.HeaderBytes) * 2 + 1;
            if (sampleOffset < 0 || sampleOffset > samples.Length - count)
            {
                return AdpcmError.OutputTooSmall;
            }

            // The reserved byte (offset + 3) is ignored, as sox and ffmpeg do.
            int predictor = (short)(block[offset] | (block[offset + 1] << 8));
            samples[sampleOffset] = (short)predictor;

            // Hot loop: the badge interprets IL, so it is written for few operations per sample. Locals
            // instead of static fields, one table load for the predictor change and one for the next index
            // (the change precomputed with the reference computation), two samples per byte without a nibble branch.
            int[] deltaTable = ImaAdpcmTables.Delta;
            int[] nextStateTable = ImaAdpcmTables.NextState;
            int state = index << 3;
            int output = sampleOffset + 1;
            int end = offset + length;
            for (int position = offset + ImaAdpcm.HeaderBytes; position < end; position++)
            {
                int packed = block[position];

                int k = state + (packed & 7);
                if ((packed & 8) == 0)
                {
                    predictor += deltaTable[k];
                    if (predictor > 32767)
                    {
                        predictor = 32767;
                    }
                }
                else
                {
                    predictor -= deltaTable[k];
                    if (predictor < -32768)
                    {
                        predictor = -32768;
                    }
                }

                state = nextStateTable[k];
                samples[output++] = (short)predictor;

                k = state + ((packed >> 4) & 7);
                if ((packed & 0x80) == 0)
                {
                    predictor += deltaTable[k];
                    if (predictor > 32767)
                    {
                        predictor = 32767;
                    }
                }
                else
                {
                    predictor -= deltaTable[k];
                    if (predictor < -32768)
                    {
                        predictor = -32768;
                    }
                }

                state = nextStateTable[k];
                samples[output++] = (short)predictor;
            }

            return count;
        }
    }
}
