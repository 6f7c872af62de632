namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// The trellis encoder's second pass: a search in depth, but only near the step indices the survey
    /// (<see cref="TrellisSurvey"/>) took. At sample t it keeps, for each step index within <c>corridor</c> of
    /// the survey's, up to <c>depth</c> paths (one fewer each step index further out), ranked by squared error so
    /// far plus the next sample's overrun (<see cref="TrellisSteps.Overrun"/>), and no two of them with predictors
    /// in the same 128-wide cell (paths that close have nearly the same future; keeping one frees the place for a
    /// different one). Each path tries the greedy code, the codes on either side, the codes two away when those
    /// raise the step index, and the survey's own raise where it made one. On speech the best path stays within one
    /// step index of the survey's 85 % of the time, which is why a narrow corridor searched deeply beats a wide
    /// search of the same cost.
    /// </summary>
    internal sealed class TrellisCorridorSearch
    {
        private const int IndexCount = ImaAdpcm.MaxStepIndex + 1;

        // Predictors closer than 1 << CellShift within one step index are one state to this search.
        private const int CellShift = 7;

        // The codes each path tries, as offsets from the greedy level: nearest first, so that good paths
        // fill the places early and the rest are turned away by one comparison.
        private static readonly int[] s_offsets = new int[] { 0, 1, -1, 2, -2 };

        private readonly int _depth;
        private readonly int _corridor;
        private readonly int[] _capacities;
        private readonly int _buckets;
        private readonly int _slots;

        private int[] _predictors;
        private long[] _costs;
        private int[] _counts;
        private int[] _nextPredictors;
        private long[] _nextCosts;
        private int[] _nextCounts;
        private readonly long[] _nextRanks;
        private readonly long[] _nextWorst;
        private readonly short[] _nextParents;
        private readonly byte[] _nextCodes;

        // Per sample and place: where the path came from and the code it took.
        private readonly short[] _parents;
        private readonly byte[] _codeHistory;

        /// <summary>A search of blocks of up to <paramref name="maxSamples"/> samples, keeping <paramref name="depth"/> paths per step index within <paramref name="corridor"/> of the survey's.</summary>
        internal TrellisCorridorSearch(int maxSamples, int depth, int corridor)
        {
            _depth = depth;
            _corridor = corridor;
            _buckets = 2 * corridor + 1;
            _slots = _buckets * depth;

            // The best path is on the survey's step index about 60 % of the time, one away 20 %, two away 10 %:
            // the search keeps `depth` paths there and one fewer each step index further out (at least one).
            _capacities = new int[_buckets];
            for (int w = 0; w < _buckets; w++)
            {
                int away = w < corridor ? corridor - w : w - corridor;
                _capacities[w] = depth - away < 1 ? 1 : depth - away;
            }
            _predictors = new int[_slots];
            _costs = new long[_slots];
            _counts = new int[_buckets];
            _nextPredictors = new int[_slots];
            _nextCosts = new long[_slots];
            _nextCounts = new int[_buckets];
            _nextRanks = new long[_slots];
            _nextWorst = new long[_buckets];
            _nextParents = new short[_slots];
            _nextCodes = new byte[_slots];
            _parents = new short[maxSamples * _slots];
            _codeHistory = new byte[maxSamples * _slots];
            Codes = new byte[maxSamples];
        }

        /// <summary>The best path's codes for samples 1..count-1, at [0..count-2].</summary>
        internal byte[] Codes { get; }

        /// <summary>The best path's start step index.</summary>
        internal int StartIndex { get; private set; }

        /// <summary>
        /// Searches one block around the survey's path (<paramref name="surveyIndices"/>: its step index after each
        /// sample; <paramref name="surveyCodes"/>: its codes); leaves the best path in <see cref="Codes"/> and
        /// <see cref="StartIndex"/> and returns its squared error, or <see cref="long.MaxValue"/> if no path stayed in the corridor.
        /// </summary>
        internal long Search(short[] samples, int offset, int count, int[] surveyIndices, byte[] surveyCodes)
        {
            int[] stepSizes = ImaAdpcmTables.StepSizes;
            int[] delta = ImaAdpcmTables.Delta;
            int[] nextState = ImaAdpcmTables.NextState;
            int[] offsets = s_offsets;
            int depth = _depth;
            int buckets = _buckets;
            int[] capacities = _capacities;
            long[] ranks = _nextRanks;
            long[] worst = _nextWorst;
            short[] nextParents = _nextParents;
            byte[] nextCodes = _nextCodes;

            // Bucket w holds step index origin + w; the first generation is one path per start index.
            int origin = surveyIndices[0] - _corridor;
            for (int w = 0; w < buckets; w++)
            {
                int index = origin + w;
                _counts[w] = index >= 0 && index < IndexCount ? 1 : 0;
                _predictors[w * depth] = samples[offset];
                _costs[w * depth] = 0;
            }

            for (int t = 1; t < count; t++)
            {
                int x = samples[offset + t];
                bool look = t + 1 < count;
                int lookX = look ? samples[offset + t + 1] : 0;
                int nextOrigin = surveyIndices[t] - _corridor;

                // Where the survey raised its step index, every path may raise its own as much, in its own
                // direction: the corridor moves that way, and a path that cannot follow it would leave it.
                int follow = surveyCodes[t - 1] & 7;
                int tries = follow >= 4 ? offsets.Length + 1 : offsets.Length;
                int[] predictors = _predictors;
                long[] costs = _costs;
                int[] counts = _counts;
                int[] nextPredictors = _nextPredictors;
                long[] nextCosts = _nextCosts;
                int[] nextCounts = _nextCounts;
                for (int w = 0; w < buckets; w++)
                {
                    nextCounts[w] = 0;
                    worst[w] = long.MaxValue;
                }

                for (int w = 0; w < buckets; w++)
                {
                    int index = origin + w;
                    int state = index << 3;
                    int end = w * depth + counts[w];
                    for (int j = w * depth; j < end; j++)
                    {
                        int predictor = predictors[j];
                        long cost = costs[j];
                        int greedy = TrellisSteps.GreedyLevel(x - predictor, stepSizes[index]);
                        for (int o = 0; o < tries; o++)
                        {
                            int level = o < offsets.Length ? greedy + offsets[o] : (follow ^ (greedy >> 31));
                            if (level < -8 || level > 7)
                            {
                                continue;
                            }

                            if (o >= 3 && o < offsets.Length && level >= -4 && level <= 3)
                            {
                                // Two away without raising the step index: the nearer codes cover it (measured: no better, a third slower).
                                continue;
                            }

                            if (o == offsets.Length && level >= greedy - 2 && level <= greedy + 2)
                            {
                                // The survey's raise is one of the codes already tried.
                                continue;
                            }

                            int k = state + TrellisSteps.Magnitude(level);
                            int nextIndex = nextState[k];
                            int nw = (nextIndex >> 3) - nextOrigin;
                            if ((uint)nw >= (uint)buckets)
                            {
                                continue;
                            }

                            int sign = level >> 31;
                            int next = predictor + ((delta[k] ^ sign) - sign);
                            next = next > 32767 ? 32767 : (next < -32768 ? -32768 : next);
                            long e = x - next;
                            long total = cost + e * e;
                            long bar = worst[nw];
                            if (total >= bar)
                            {
                                continue;
                            }

                            long rank = total;
                            if (look)
                            {
                                rank += TrellisSteps.Overrun(lookX, next, nextIndex);
                                if (rank >= bar)
                                {
                                    continue;
                                }
                            }

                            int bucket = nw * depth;
                            int filled = nextCounts[nw];
                            int capacity = capacities[nw];
                            int cell = next >> CellShift;
                            int slot = -1;
                            for (int i = bucket; i < bucket + filled; i++)
                            {
                                if ((nextPredictors[i] >> CellShift) == cell)
                                {
                                    slot = i;
                                    break;
                                }
                            }

                            if (slot >= 0)
                            {
                                if (rank >= ranks[slot])
                                {
                                    continue;
                                }
                            }
                            else if (filled < capacity)
                            {
                                slot = bucket + filled;
                                filled++;
                                nextCounts[nw] = filled;
                            }
                            else
                            {
                                slot = bucket + capacity - 1;
                            }

                            // Keep the bucket sorted by rank: its last place is the one to beat.
                            while (slot > bucket && ranks[slot - 1] > rank)
                            {
                                nextPredictors[slot] = nextPredictors[slot - 1];
                                nextCosts[slot] = nextCosts[slot - 1];
                                ranks[slot] = ranks[slot - 1];
                                nextParents[slot] = nextParents[slot - 1];
                                nextCodes[slot] = nextCodes[slot - 1];
                                slot--;
                            }

                            nextPredictors[slot] = next;
                            nextCosts[slot] = total;
                            ranks[slot] = rank;
                            nextParents[slot] = (short)j;
                            nextCodes[slot] = TrellisSteps.Code(level);
                            if (filled == capacity)
                            {
                                worst[nw] = ranks[bucket + capacity - 1];
                            }
                        }
                    }
                }

                int row = (t - 1) * _slots;
                for (int w = 0; w < buckets; w++)
                {
                    int end = w * depth + nextCounts[w];
                    for (int i = w * depth; i < end; i++)
                    {
                        _parents[row + i] = nextParents[i];
                        _codeHistory[row + i] = nextCodes[i];
                    }
                }

                Swap();
                origin = nextOrigin;
            }

            int best = -1;
            for (int w = 0; w < buckets; w++)
            {
                int end = w * depth + _counts[w];
                for (int i = w * depth; i < end; i++)
                {
                    if (best < 0 || _costs[i] < _costs[best])
                    {
                        best = i;
                    }
                }
            }

            if (best < 0)
            {
                // Every path left the corridor (possible in principle, not seen on real audio): the survey's path stands.
                return long.MaxValue;
            }

            int at = best;
            for (int t = count - 1; t >= 1; t--)
            {
                int cell = (t - 1) * _slots + at;
                Codes[t - 1] = _codeHistory[cell];
                at = _parents[cell];
            }

            StartIndex = surveyIndices[0] - _corridor + at / depth;
            return _costs[best];
        }

        /// <summary>The next generation of paths becomes the current one; the current one's arrays are reused for the next.</summary>
        private void Swap()
        {
            TrellisSteps.Swap(ref _predictors, ref _nextPredictors);
            TrellisSteps.Swap(ref _costs, ref _nextCosts);
            TrellisSteps.Swap(ref _counts, ref _nextCounts);
        }
    }
}
