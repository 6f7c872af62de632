namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// The trellis encoder's first pass: a Viterbi search over the step index alone. At every sample it keeps
    /// one path per step index (0..88), the one with the least squared error so far plus the next sample's overrun
    /// (<see cref="TrellisSteps.Overrun"/>), and only the best-ranked dozen step indices. Each path tries the greedy
    /// code, the codes on either side of it, and the codes that raise the step index. Every start index begins a
    /// path, so the block's start index is chosen by the search. The path it finds is the corridor the second pass
    /// (<see cref="TrellisCorridorSearch"/>) searches in depth.
    /// </summary>
    internal sealed class TrellisSurvey
    {
        private const int IndexCount = ImaAdpcm.MaxStepIndex + 1;

        private int[] _predictors = new int[IndexCount];
        private long[] _costs = new long[IndexCount];
        private bool[] _live = new bool[IndexCount];
        private int[] _nextPredictors = new int[IndexCount];
        private long[] _nextCosts = new long[IndexCount];
        private bool[] _nextLive = new bool[IndexCount];
        private readonly long[] _nextRanks = new long[IndexCount];
        private readonly byte[] _nextParents = new byte[IndexCount];
        private readonly byte[] _nextCodes = new byte[IndexCount];
        private readonly int[] _levels = new int[8];
        private readonly int _keep;
        private readonly long[] _best;

        // Per sample and step index: where the surviving path came from and the code it took.
        private readonly byte[] _parents;
        private readonly byte[] _codeHistory;

        /// <summary>
        /// A survey of blocks of up to <paramref name="maxSamples"/> samples that keeps at most <paramref name="keep"/>
        /// step indices (1..89) alive; everything it needs is allocated here.
        /// </summary>
        internal TrellisSurvey(int maxSamples, int keep)
        {
            _keep = keep;
            _best = new long[keep];
            _parents = new byte[maxSamples * IndexCount];
            _codeHistory = new byte[maxSamples * IndexCount];
            StepIndices = new int[maxSamples];
            Codes = new byte[maxSamples];
        }

        /// <summary>The best path's step index after each sample; [0] is its start index.</summary>
        internal int[] StepIndices { get; }

        /// <summary>The best path's codes for samples 1..count-1, at [0..count-2].</summary>
        internal byte[] Codes { get; }

        /// <summary>Searches one block; leaves the best path in <see cref="StepIndices"/> and <see cref="Codes"/> and returns its squared error.</summary>
        internal long Search(short[] samples, int offset, int count)
        {
            int[] stepSizes = ImaAdpcmTables.StepSizes;
            int[] nextState = ImaAdpcmTables.NextState;
            int first = samples[offset];
            for (int index = 0; index < IndexCount; index++)
            {
                _live[index] = true;
                _predictors[index] = first;
                _costs[index] = 0;
            }

            int low = 0;
            int high = IndexCount - 1;
            for (int t = 1; t < count; t++)
            {
                int x = samples[offset + t];
                bool look = t + 1 < count;
                int lookX = look ? samples[offset + t + 1] : 0;
                int nextLow = IndexCount;
                int nextHigh = -1;
                int alive = 0;
                for (int index = low; index <= high; index++)
                {
                    if (!_live[index])
                    {
                        continue;
                    }

                    _live[index] = false;
                    int predictor = _predictors[index];
                    long cost = _costs[index];
                    int state = index << 3;
                    int greedy = TrellisSteps.GreedyLevel(x - predictor, stepSizes[index]);
                    int tries = Candidates(greedy);
                    for (int c = 0; c < tries; c++)
                    {
                        int level = _levels[c];
                        int k = state + TrellisSteps.Magnitude(level);
                        int next = TrellisSteps.Predict(predictor, level, k);
                        int target = nextState[k] >> 3;
                        long e = x - next;
                        long total = cost + e * e;
                        bool taken = _nextLive[target];
                        if (taken && total >= _nextRanks[target])
                        {
                            continue;
                        }

                        long rank = total;
                        if (look)
                        {
                            rank += TrellisSteps.Overrun(lookX, next, nextState[k]);
                            if (taken && rank >= _nextRanks[target])
                            {
                                continue;
                            }
                        }

                        if (!taken)
                        {
                            _nextLive[target] = true;
                            alive++;
                            nextLow = target < nextLow ? target : nextLow;
                            nextHigh = target > nextHigh ? target : nextHigh;
                        }

                        _nextPredictors[target] = next;
                        _nextCosts[target] = total;
                        _nextRanks[target] = rank;
                        _nextParents[target] = (byte)index;
                        _nextCodes[target] = TrellisSteps.Code(level);
                    }
                }

                if (alive > _keep)
                {
                    DropAllButBest(nextLow, nextHigh);
                }

                int row = (t - 1) * IndexCount;
                for (int index = nextLow; index <= nextHigh; index++)
                {
                    _parents[row + index] = _nextParents[index];
                    _codeHistory[row + index] = _nextCodes[index];
                }

                Swap();
                low = nextLow;
                high = nextHigh;
            }

            int best = -1;
            for (int index = low; index <= high; index++)
            {
                if (_live[index] && (best < 0 || _costs[index] < _costs[best]))
                {
                    best = index;
                }

                _live[index] = false;
            }

            int at = best;
            StepIndices[count - 1] = at;
            for (int t = count - 1; t >= 1; t--)
            {
                int cell = (t - 1) * IndexCount + at;
                Codes[t - 1] = _codeHistory[cell];
                at = _parents[cell];
                StepIndices[t - 1] = at;
            }

            return _costs[best];
        }

        /// <summary>
        /// Fills <see cref="_levels"/> with the codes a path tries: the greedy code and its two neighbours, and every
        /// code that raises the step index (magnitude 4..7) in the greedy code's direction. The latter matter on
        /// sharp onsets (a pitch pulse): the path that raised its step early follows the jump; greedy alone lags.
        /// </summary>
        private int Candidates(int greedy)
        {
            int from = greedy > -8 ? greedy - 1 : greedy;
            int to = greedy < 7 ? greedy + 1 : greedy;
            int tries = 0;
            for (int level = from; level <= to; level++)
            {
                _levels[tries++] = level;
            }

            int sign = greedy >> 31;
            for (int magnitude = 4; magnitude < 8; magnitude++)
            {
                int level = magnitude ^ sign;
                if (level < from || level > to)
                {
                    _levels[tries++] = level;
                }
            }

            return tries;
        }

        /// <summary>Keeps the <see cref="_keep"/> step indices whose paths rank best (ties kept), so the step-raising codes cannot make every index live.</summary>
        private void DropAllButBest(int low, int high)
        {
            int kept = 0;
            for (int index = low; index <= high; index++)
            {
                if (!_nextLive[index])
                {
                    continue;
                }

                long rank = _nextRanks[index];
                if (kept == _keep && rank >= _best[kept - 1])
                {
                    continue;
                }

                int at = kept < _keep ? kept++ : kept - 1;
                while (at > 0 && _best[at - 1] > rank)
                {
                    _best[at] = _best[at - 1];
                    at--;
                }

                _best[at] = rank;
            }

            long bar = _best[_keep - 1];
            for (int index = low; index <= high; index++)
            {
                if (_nextRanks[index] > bar)
                {
                    _nextLive[index] = false;
                }
            }
        }

        /// <summary>The next generation of paths becomes the current one; the current one's arrays are reused for the next.</summary>
        private void Swap()
        {
            TrellisSteps.Swap(ref _predictors, ref _nextPredictors);
            TrellisSteps.Swap(ref _costs, ref _nextCosts);
            bool[] live = _live;
            _live = _nextLive;
            _nextLive = live;
        }
    }
}
