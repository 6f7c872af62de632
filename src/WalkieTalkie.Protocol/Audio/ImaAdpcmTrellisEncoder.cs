namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// The gateway's IMA ADPCM encoder: slower, and closer to the input than the greedy one. The decoder
    /// only ever reads a block's start step index and its codes, so the encoder is free to choose both:
    /// <list type="number">
    /// <item>it runs the greedy quantiser from every start step index (0..88) and keeps the few best;</item>
    /// <item>from each of those it runs a pruned trellis (a beam search): at every sample each surviving
    /// path tries the greedy code and its two neighbours (and the other sign of a zero), and the
    /// <c>width</c> paths with the least squared error so far survive, one per (predictor, step index);</item>
    /// <item>it writes the path with the least error, or the best greedy one should the beam lose it.</item>
    /// </list>
    /// The result is never worse than the greedy encoder from the best start index. Integer math and
    /// buffers allocated once in the constructor, so it is portable; nothing is allocated per block.
    /// </summary>
    public sealed class ImaAdpcmTrellisEncoder
    {
        /// <summary>Paths kept per sample by default.</summary>
        public const int DefaultWidth = 16;

        /// <summary>Start step indices searched with the trellis by default.</summary>
        public const int DefaultStartCandidates = 3;

        private const int IndexCount = ImaAdpcm.MaxStepIndex + 1;

        private readonly int maxSamples;
        private readonly int width;
        private readonly int startCandidates;

        private int[] predictors;
        private int[] states;
        private long[] costs;
        private int[] nextPredictors;
        private int[] nextStates;
        private long[] nextCosts;
        private readonly byte[] nextParents;
        private readonly byte[] nextCodes;
        private int nextCount;

        private readonly byte[] parents;
        private readonly byte[] codes;
        private readonly byte[] pathCodes;
        private readonly byte[] bestCodes;
        private readonly long[] greedyErrors;
        private readonly int[] starts;

        /// <summary>An encoder for blocks of up to <see cref="ImaAdpcm.DefaultSamplesPerBlock"/> samples with the default search.</summary>
        public ImaAdpcmTrellisEncoder()
            : this(ImaAdpcm.DefaultSamplesPerBlock, DefaultWidth, DefaultStartCandidates)
        {
        }

        /// <summary>
        /// An encoder for blocks of up to <paramref name="maxSamplesPerBlock"/> samples, keeping
        /// <paramref name="width"/> paths (1..255) and searching <paramref name="startCandidates"/> start indices (1..89).
        /// Out-of-range values are clamped into range.
        /// </summary>
        public ImaAdpcmTrellisEncoder(int maxSamplesPerBlock, int width, int startCandidates)
        {
            maxSamples = maxSamplesPerBlock < 1 ? 1 : maxSamplesPerBlock;
            this.width = width < 1 ? 1 : (width > 255 ? 255 : width);
            this.startCandidates = startCandidates < 1 ? 1 : (startCandidates > IndexCount ? IndexCount : startCandidates);

            predictors = new int[this.width];
            states = new int[this.width];
            costs = new long[this.width];
            nextPredictors = new int[this.width];
            nextStates = new int[this.width];
            nextCosts = new long[this.width];
            nextParents = new byte[this.width];
            nextCodes = new byte[this.width];
            parents = new byte[maxSamples * this.width];
            codes = new byte[maxSamples * this.width];
            pathCodes = new byte[maxSamples];
            bestCodes = new byte[maxSamples];
            greedyErrors = new long[IndexCount];
            starts = new int[this.startCandidates];
        }

        /// <summary>The largest block, in samples, this encoder takes.</summary>
        public int MaxSamplesPerBlock
        {
            get { return maxSamples; }
        }

        /// <summary>
        /// Encodes <paramref name="count"/> samples (odd, at most <see cref="MaxSamplesPerBlock"/>) into one block
        /// of <see cref="ImaAdpcm.BlockBytesFor"/>(count) bytes at <paramref name="blockOffset"/>.
        /// </summary>
        /// <returns>The number of bytes written, or a negative <see cref="AdpcmError"/> code (nothing thrown).</returns>
        public int EncodeBlock(short[] samples, int offset, int count, byte[] block, int blockOffset)
        {
            int bytes = ImaAdpcmEncoder.CheckArguments(samples, offset, count, block, blockOffset);
            if (bytes <= 0)
            {
                return bytes;
            }

            if (count > maxSamples)
            {
                return AdpcmError.BlockTooLong;
            }

            RankStarts(samples, offset, count);
            long bestCost = greedyErrors[starts[0]];
            int bestStart = -1;
            for (int i = 0; i < startCandidates; i++)
            {
                long cost = SearchFrom(samples, offset, count, starts[i]);
                if (cost < bestCost)
                {
                    bestCost = cost;
                    bestStart = starts[i];
                    System.Array.Copy(pathCodes, bestCodes, count - 1);
                }
            }

            if (bestStart < 0)
            {
                ImaAdpcmEncoder.Encode(samples, offset, count, starts[0], block, blockOffset);
                return bytes;
            }

            int first = samples[offset];
            block[blockOffset] = (byte)first;
            block[blockOffset + 1] = (byte)(first >> 8);
            block[blockOffset + 2] = (byte)bestStart;
            block[blockOffset + 3] = 0;
            int position = blockOffset + ImaAdpcm.HeaderBytes;
            for (int t = 0; t < count - 1; t += 2)
            {
                block[position++] = (byte)(bestCodes[t] | (bestCodes[t + 1] << 4));
            }

            return bytes;
        }

        /// <summary>The greedy error from every start index; the best <see cref="startCandidates"/> go into <see cref="starts"/>, best first.</summary>
        private void RankStarts(short[] samples, int offset, int count)
        {
            for (int index = 0; index < IndexCount; index++)
            {
                greedyErrors[index] = GreedyError(samples, offset, count, index);
            }

            for (int i = 0; i < startCandidates; i++)
            {
                int best = -1;
                for (int index = 0; index < IndexCount; index++)
                {
                    if (!IsChosen(index, i) && (best < 0 || greedyErrors[index] < greedyErrors[best]))
                    {
                        best = index;
                    }
                }

                starts[i] = best;
            }
        }

        private bool IsChosen(int index, int chosen)
        {
            for (int i = 0; i < chosen; i++)
            {
                if (starts[i] == index)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The squared error of the greedy encoder (<see cref="ImaAdpcmEncoder"/>) from a start index, without output.</summary>
        internal static long GreedyError(short[] samples, int offset, int count, int startIndex)
        {
            int[] stepSizes = ImaAdpcmTables.StepSizes;
            int predictor = samples[offset];
            int state = startIndex << 3;
            long error = 0;
            for (int t = 1; t < count; t++)
            {
                int x = samples[offset + t];
                int diff = x - predictor;
                int magnitude = Quantise(diff < 0 ? -diff : diff, stepSizes[state >> 3]);
                int k = state + magnitude;
                predictor = Reconstruct(predictor, diff < 0, k);
                state = ImaAdpcmTables.NextState[k];
                long e = x - predictor;
                error += e * e;
            }

            return error;
        }

        /// <summary>The reference (greedy) quantiser: the code magnitude for a difference magnitude.</summary>
        private static int Quantise(int diff, int step)
        {
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

            return magnitude;
        }

        /// <summary>The decoder's next predictor for a code at <c>k = state + magnitude</c>.</summary>
        private static int Reconstruct(int predictor, bool negative, int k)
        {
            if (negative)
            {
                predictor -= ImaAdpcmTables.Delta[k];
                return predictor < -32768 ? -32768 : predictor;
            }

            predictor += ImaAdpcmTables.Delta[k];
            return predictor > 32767 ? 32767 : predictor;
        }

        /// <summary>Runs the beam from one start index; leaves the best path's codes in <see cref="pathCodes"/> and returns its error.</summary>
        private long SearchFrom(short[] samples, int offset, int count, int startIndex)
        {
            int[] stepSizes = ImaAdpcmTables.StepSizes;
            int alive = 1;
            predictors[0] = samples[offset];
            states[0] = startIndex << 3;
            costs[0] = 0;

            for (int t = 1; t < count; t++)
            {
                int x = samples[offset + t];
                nextCount = 0;
                for (int j = 0; j < alive; j++)
                {
                    int predictor = predictors[j];
                    int state = states[j];
                    int diff = x - predictor;
                    bool negative = diff < 0;
                    int magnitude = Quantise(negative ? -diff : diff, stepSizes[state >> 3]);
                    Try(x, j, predictor, state, costs[j], magnitude, negative);
                    if (magnitude > 0)
                    {
                        Try(x, j, predictor, state, costs[j], magnitude - 1, negative);
                    }
                    else
                    {
                        Try(x, j, predictor, state, costs[j], 0, !negative);
                    }

                    if (magnitude < 7)
                    {
                        Try(x, j, predictor, state, costs[j], magnitude + 1, negative);
                    }
                }

                int row = (t - 1) * width;
                System.Array.Copy(nextParents, 0, parents, row, nextCount);
                System.Array.Copy(nextCodes, 0, codes, row, nextCount);
                alive = nextCount;
                Swap();
            }

            int slot = 0;
            for (int t = count - 1; t >= 1; t--)
            {
                int at = (t - 1) * width + slot;
                pathCodes[t - 1] = codes[at];
                slot = parents[at];
            }

            return costs[0];
        }

        /// <summary>Offers one extension of path <paramref name="parent"/> to the next beam, kept sorted by error.</summary>
        private void Try(int x, int parent, int predictor, int state, long cost, int magnitude, bool negative)
        {
            int k = state + magnitude;
            int next = Reconstruct(predictor, negative, k);
            long e = x - next;
            long total = cost + e * e;
            if (nextCount == width && total >= nextCosts[width - 1])
            {
                return;
            }

            int nextState = ImaAdpcmTables.NextState[k];
            for (int i = 0; i < nextCount; i++)
            {
                if (nextPredictors[i] == next && nextStates[i] == nextState)
                {
                    // Same decoder state: the futures are identical, only the cheaper past matters.
                    if (total >= nextCosts[i])
                    {
                        return;
                    }

                    RemoveNext(i);
                    break;
                }
            }

            int slot = nextCount < width ? nextCount : width - 1;
            while (slot > 0 && nextCosts[slot - 1] > total)
            {
                nextPredictors[slot] = nextPredictors[slot - 1];
                nextStates[slot] = nextStates[slot - 1];
                nextCosts[slot] = nextCosts[slot - 1];
                nextParents[slot] = nextParents[slot - 1];
                nextCodes[slot] = nextCodes[slot - 1];
                slot--;
            }

            nextPredictors[slot] = next;
            nextStates[slot] = nextState;
            nextCosts[slot] = total;
            nextParents[slot] = (byte)parent;
            nextCodes[slot] = (byte)(negative ? magnitude | 8 : magnitude);
            if (nextCount < width)
            {
                nextCount++;
            }
        }

        private void RemoveNext(int i)
        {
            for (int j = i + 1; j < nextCount; j++)
            {
                nextPredictors[j - 1] = nextPredictors[j];
                nextStates[j - 1] = nextStates[j];
                nextCosts[j - 1] = nextCosts[j];
                nextParents[j - 1] = nextParents[j];
                nextCodes[j - 1] = nextCodes[j];
            }

            nextCount--;
        }

        private void Swap()
        {
            int[] p = predictors;
            predictors = nextPredictors;
            nextPredictors = p;
            int[] s = states;
            states = nextStates;
            nextStates = s;
            long[] c = costs;
            costs = nextCosts;
            nextCosts = c;
        }
    }
}
