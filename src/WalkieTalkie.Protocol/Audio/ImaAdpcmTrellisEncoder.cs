namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// The gateway's IMA ADPCM encoder: slower, and much closer to the input than the greedy one. The decoder
    /// reads only a block's start step index and its codes, so the encoder is free to choose both, and it
    /// searches for the pair with the least squared error against the input:
    /// <list type="number">
    /// <item>a survey (<see cref="TrellisSurvey"/>): a Viterbi search keeping one path per step index,
    /// every start index included;</item>
    /// <item>a search in depth (<see cref="TrellisCorridorSearch"/>) in a corridor of step indices around the
    /// survey's path, keeping several paths per step index with distinct predictors;</item>
    /// <item>it writes the better of the two, or greedy from the best start index should greedy beat both
    /// (never seen on real audio; it keeps the promise below).</item>
    /// </list>
    /// Both searches track the decoder's exact computation (<see cref="ImaAdpcmTables"/>), so the error they
    /// minimise is the one every decoder that agrees with the IMA reference (sox, ours) reproduces. The result
    /// is never worse than the greedy encoder from any start index. Integer math, buffers allocated once in
    /// the constructor, so it is portable and allocates nothing per block. docs/audio.md has the measurements.
    /// </summary>
    public sealed class ImaAdpcmTrellisEncoder
    {
        /// <summary>Paths kept on the survey's step index in the search in depth (one fewer each step index away), by default.</summary>
        public const int DefaultPathsPerStepIndex = 6;

        /// <summary>How far, in step indices, the search in depth may stray from the survey's path, by default.</summary>
        public const int DefaultCorridor = 3;

        private const int IndexCount = ImaAdpcm.MaxStepIndex + 1;

        // Step indices the survey keeps alive at each sample.
        private const int SurveyKeep = 12;

        private readonly int _maxSamples;
        private readonly TrellisSurvey _survey;
        private readonly TrellisCorridorSearch _corridorSearch;

        /// <summary>An encoder for blocks of up to <see cref="ImaAdpcm.DefaultSamplesPerBlock"/> samples with the default search.</summary>
        public ImaAdpcmTrellisEncoder()
            : this(ImaAdpcm.DefaultSamplesPerBlock, DefaultPathsPerStepIndex, DefaultCorridor)
        {
        }

        /// <summary>
        /// An encoder for blocks of up to <paramref name="maxSamplesPerBlock"/> samples, keeping
        /// <paramref name="pathsPerStepIndex"/> paths (1..32) per step index within <paramref name="corridor"/>
        /// (0..16) step indices of the survey's path. Out-of-range values are clamped into range.
        /// </summary>
        public ImaAdpcmTrellisEncoder(int maxSamplesPerBlock, int pathsPerStepIndex, int corridor)
        {
            _maxSamples = maxSamplesPerBlock < 1 ? 1 : maxSamplesPerBlock;
            int depth = pathsPerStepIndex < 1 ? 1 : (pathsPerStepIndex > 32 ? 32 : pathsPerStepIndex);
            int width = corridor < 0 ? 0 : (corridor > 16 ? 16 : corridor);
            _survey = new TrellisSurvey(_maxSamples, SurveyKeep);
            _corridorSearch = new TrellisCorridorSearch(_maxSamples, depth, width);
        }

        /// <summary>The largest block, in samples, this encoder takes.</summary>
        public int MaxSamplesPerBlock
        {
            get { return _maxSamples; }
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

            if (count > _maxSamples)
            {
                return AdpcmError.BlockTooLong;
            }

            long surveyed = _survey.Search(samples, offset, count);
            long searched = _corridorSearch.Search(samples, offset, count, _survey.StepIndices, _survey.Codes);
            bool deeper = searched <= surveyed;
            long best = deeper ? searched : surveyed;

            int greedyStart = -1;
            for (int start = 0; start < IndexCount; start++)
            {
                long greedy = TrellisSteps.GreedyError(samples, offset, count, start, best);
                if (greedy < best)
                {
                    best = greedy;
                    greedyStart = start;
                }
            }

            if (greedyStart >= 0)
            {
                ImaAdpcmEncoder.Encode(samples, offset, count, greedyStart, block, blockOffset);
                return bytes;
            }

            WriteBlock(samples[offset], deeper ? _corridorSearch.StartIndex : _survey.StepIndices[0],
                       deeper ? _corridorSearch.Codes : _survey.Codes, count, block, blockOffset);
            return bytes;
        }

        private static void WriteBlock(int first, int startIndex, byte[] codes, int count, byte[] block, int blockOffset)
        {
            block[blockOffset] = (byte)first;
            block[blockOffset + 1] = (byte)(first >> 8);
            block[blockOffset + 2] = (byte)startIndex;
            block[blockOffset + 3] = 0;
            int position = blockOffset + ImaAdpcm.HeaderBytes;
            for (int t = 0; t < count - 1; t += 2)
            {
                block[position++] = (byte)(codes[t] | (codes[t + 1] << 4));
            }
        }
    }
}
