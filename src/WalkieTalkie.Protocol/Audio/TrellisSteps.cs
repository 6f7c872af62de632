namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// What the trellis encoder's searches compute for one code. A code is handled as a signed level −8..7:
    /// its magnitude when non-negative, −(magnitude + 1) for a negative code, so the 16 codes from one state
    /// are ordered by the predictor they lead to and "the codes next to the greedy one" is level ± 1.
    /// Branch-free where it can be: the searches spend most of their time here on data-dependent values.
    /// </summary>
    internal static class TrellisSteps
    {
        /// <summary>The reference (greedy) quantiser's code for a difference from the predictor, as a signed level.</summary>
        internal static int GreedyLevel(int difference, int step)
        {
            int sign = difference >> 31;
            int rest = (difference ^ sign) - sign;
            int reached = (step - 1 - rest) >> 31;
            int magnitude = reached & 4;
            rest -= reached & step;
            step >>= 1;
            reached = (step - 1 - rest) >> 31;
            magnitude |= reached & 2;
            rest -= reached & step;
            reached = ((step >> 1) - 1 - rest) >> 31;
            magnitude |= reached & 1;
            return magnitude ^ sign;
        }

        /// <summary>The magnitude (0..7) of a signed level.</summary>
        internal static int Magnitude(int level)
        {
            return level ^ (level >> 31);
        }

        /// <summary>The 4-bit code of a signed level.</summary>
        internal static byte Code(int level)
        {
            int sign = level >> 31;
            return (byte)((level ^ sign) | (sign & 8));
        }

        /// <summary>The decoder's next predictor after a code of <paramref name="level"/>, <paramref name="k"/> being state + magnitude.</summary>
        internal static int Predict(int predictor, int level, int k)
        {
            int sign = level >> 31;
            int next = predictor + ((ImaAdpcmTables.Delta[k] ^ sign) - sign);
            if (next > 32767)
            {
                return 32767;
            }

            return next < -32768 ? -32768 : next;
        }

        /// <summary>
        /// How far the next sample <paramref name="x"/> lies beyond the largest change any code can make from this
        /// predictor and state, squared: error no code can avoid there. The searches rank paths by their error so far
        /// plus this, so that a path the next sample will outrun goes behind one that can follow it. (Measured: as
        /// good as the greedy code's whole error on the next sample, and 10 % faster overall.)
        /// </summary>
        internal static long Overrun(int x, int predictor, int state)
        {
            int difference = x - predictor;
            int sign = difference >> 31;
            long beyond = ((difference ^ sign) - sign) - ImaAdpcmTables.Delta[state + 7];
            return beyond > 0 ? beyond * beyond : 0;
        }

        /// <summary>Exchanges two arrays (a search's current and next generation of paths).</summary>
        internal static void Swap(ref int[] a, ref int[] b)
        {
            int[] c = a;
            a = b;
            b = c;
        }

        /// <summary>Exchanges two arrays (a search's current and next generation of paths).</summary>
        internal static void Swap(ref long[] a, ref long[] b)
        {
            long[] c = a;
            a = b;
            b = c;
        }

        /// <summary>
        /// The squared error of the greedy encoder (<see cref="ImaAdpcmEncoder"/>) over a block from a start
        /// index, or <paramref name="limit"/> as soon as it reaches that much (the caller only asks whether greedy does better).
        /// </summary>
        internal static long GreedyError(short[] samples, int offset, int count, int startIndex, long limit)
        {
            int[] stepSizes = ImaAdpcmTables.StepSizes;
            int[] nextState = ImaAdpcmTables.NextState;
            int predictor = samples[offset];
            int state = startIndex << 3;
            long error = 0;
            for (int t = 1; t < count; t++)
            {
                int x = samples[offset + t];
                int level = GreedyLevel(x - predictor, stepSizes[state >> 3]);
                int k = state + Magnitude(level);
                predictor = Predict(predictor, level, k);
                state = nextState[k];
                long e = x - predictor;
                error += e * e;
                if (error >= limit)
                {
                    return limit;
                }
            }

            return error;
        }
    }
}
