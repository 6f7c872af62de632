namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// The badge's IMA ADPCM encoder: the greedy quantiser of the IMA reference, written for as few IL
    /// operations per sample as possible because the badge interprets IL. Its predictor follows the
    /// decoder's computation exactly, so what it tracks is what every decoder reconstructs. The step index
    /// carries from one block to the next, as in the reference; each block's header restarts the predictor
    /// at the block's first sample, so blocks stay self-contained.
    /// </summary>
    public sealed class ImaAdpcmEncoder
    {
        private int stepIndex;

        /// <summary>The step index the next block starts with (0..88).</summary>
        public int StepIndex
        {
            get { return stepIndex; }
            set { stepIndex = value < 0 ? 0 : (value > ImaAdpcm.MaxStepIndex ? ImaAdpcm.MaxStepIndex : value); }
        }

        /// <summary>Starts over as for a new talk burst.</summary>
        public void Reset()
        {
            stepIndex = 0;
        }

        /// <summary>
        /// Encodes <paramref name="count"/> samples (odd: the first goes whole into the header) into one block
        /// of <see cref="ImaAdpcm.BlockBytesFor"/>(count) bytes at <paramref name="blockOffset"/>.
        /// </summary>
        /// <returns>The number of bytes written, or a negative <see cref="AdpcmError"/> code (nothing thrown).</returns>
        public int EncodeBlock(short[] samples, int offset, int count, byte[] block, int blockOffset)
        {
            int bytes = CheckArguments(samples, offset, count, block, blockOffset);
            if (bytes > 0)
            {
                stepIndex = Encode(samples, offset, count, stepIndex, block, blockOffset);
            }

            return bytes;
        }

        /// <summary>Validates the arguments of an encode: the block's byte count, or a negative error code.</summary>
        internal static int CheckArguments(short[] samples, int offset, int count, byte[] block, int blockOffset)
        {
            if (samples == null || block == null)
            {
                return AdpcmError.NullBuffer;
            }

            int bytes = ImaAdpcm.BlockBytesFor(count);
            if (bytes == 0 || offset < 0 || offset > samples.Length - count)
            {
                return AdpcmError.BadSampleCount;
            }

            if (blockOffset < 0 || blockOffset > block.Length - bytes)
            {
                return AdpcmError.OutputTooSmall;
            }

            return bytes;
        }

        /// <summary>
        /// The greedy encode of one block from a given start step index, arguments already checked.
        /// Returns the step index after the block's last sample.
        /// </summary>
        internal static int Encode(short[] samples, int offset, int count, int startIndex, byte[] block, int blockOffset)
        {
            int predictor = samples[offset];
            block[blockOffset] = (byte)predictor;
            block[blockOffset + 1] = (byte)(predictor >> 8);
            block[blockOffset + 2] = (byte)startIndex;
            block[blockOffset + 3] = 0;

            // Hot loop, written for the badge's IL interpreter: locals only, two samples per output byte
            // (the body is repeated rather than branching on the nibble), the quantiser halves `step` in
            // place instead of keeping step/2 and step/4, and the predictor change, next step and next
            // state each come from one table load at `state + magnitude`, with no clamp of the index.
            int[] deltaTable = ImaAdpcmTables.Delta;
            int[] nextStepTable = ImaAdpcmTables.NextStep;
            int[] nextStateTable = ImaAdpcmTables.NextState;
            int state = startIndex << 3;
            int step = ImaAdpcmTables.StepSizes[startIndex];
            int input = offset + 1;
            int end = blockOffset + ImaAdpcm.HeaderBytes + (count >> 1);
            for (int position = blockOffset + ImaAdpcm.HeaderBytes; position < end; position++)
            {
                int diff = samples[input++] - predictor;
                int sign = 0;
                if (diff < 0)
                {
                    sign = 8;
                    diff = -diff;
                }

                int magnitude = 0;
                if (diff >= step)
                {
                    magnitude = 4;
                    diff -= step;
                }

                step >>= 1;
                if (diff >= step)
                {
                    magnitude += 2;
                    diff -= step;
                }

                if (diff >= (step >> 1))
                {
                    magnitude++;
                }

                int k = state + magnitude;
                if (sign == 0)
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

                step = nextStepTable[k];
                state = nextStateTable[k];
                int packed = magnitude | sign;

                diff = samples[input++] - predictor;
                sign = 0;
                if (diff < 0)
                {
                    sign = 0x80;
                    diff = -diff;
                }

                magnitude = 0;
                if (diff >= step)
                {
                    magnitude = 4;
                    diff -= step;
                }

                step >>= 1;
                if (diff >= step)
                {
                    magnitude += 2;
                    diff -= step;
                }

                if (diff >= (step >> 1))
                {
                    magnitude++;
                }

                k = state + magnitude;
                if (sign == 0)
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

                step = nextStepTable[k];
                state = nextStateTable[k];
                block[position] = (byte)(packed | sign | (magnitude << 4));
            }

            return state >> 3;
        }
    }
}
