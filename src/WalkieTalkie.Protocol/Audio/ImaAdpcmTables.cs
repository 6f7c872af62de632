namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// The IMA ADPCM tables, and derived ones that take work out of the per-sample loops. The loops keep
    /// the step index as a "state", <c>stepIndex * 8</c>, and the derived tables are indexed by
    /// <c>state + magnitude</c> (magnitude = the code without its sign bit), so a code costs one addition
    /// and a few table loads, with no shifts, clamps or bit tests.
    /// </summary>
    internal static class ImaAdpcmTables
    {
        /// <summary>The 89 quantiser step sizes of the IMA ADPCM standard.</summary>
        internal static readonly int[] StepSizes = new int[]
        {
            7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45,
            50, 55, 60, 66, 73, 80, 88, 97, 107, 118, 130, 143, 157, 173, 190, 209, 230, 253, 279, 307,
            337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066,
            2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899,
            15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767,
        };

        /// <summary>How the step index moves after a code of each magnitude.</summary>
        internal static readonly int[] IndexAdjust = new int[] { -1, -1, -1, -1, 2, 4, 6, 8 };

        /// <summary>The state (step index * 8) after a code: the adjusted index, already clamped to 0..88.</summary>
        internal static readonly int[] NextState = BuildNext(true);

        /// <summary>The step size after a code (the step size at the next state).</summary>
        internal static readonly int[] NextStep = BuildNext(false);

        /// <summary>
        /// The predictor change a code makes, by the reference computation (shifts and adds, see
        /// <see cref="ReferenceDelta"/>); precomputed so the decoder pays one table load instead of three tests.
        /// </summary>
        internal static readonly int[] Delta = BuildDelta();

        /// <summary>
        /// The IMA reference computation of the predictor change for a step and a code magnitude:
        /// step/8, plus step for bit 2, step/2 for bit 1, step/4 for bit 0, each a shift. sox decodes with
        /// exactly this; a multiply, (2m + 1) * step / 8, rounds differently (ffmpeg does that).
        /// </summary>
        internal static int ReferenceDelta(int step, int magnitude)
        {
            int delta = step >> 3;
            if ((magnitude & 4) != 0)
            {
                delta += step;
            }

            if ((magnitude & 2) != 0)
            {
                delta += step >> 1;
            }

            if ((magnitude & 1) != 0)
            {
                delta += step >> 2;
            }

            return delta;
        }

        /// <summary>The step index after a code of <paramref name="magnitude"/> at <paramref name="index"/>, clamped to 0..88.</summary>
        internal static int AdjustIndex(int index, int magnitude)
        {
            int next = index + IndexAdjust[magnitude];
            if (next < 0)
            {
                return 0;
            }

            return next > ImaAdpcm.MaxStepIndex ? ImaAdpcm.MaxStepIndex : next;
        }

        private static int[] BuildNext(bool state)
        {
            int[] table = new int[(ImaAdpcm.MaxStepIndex + 1) * 8];
            for (int index = 0; index <= ImaAdpcm.MaxStepIndex; index++)
            {
                for (int magnitude = 0; magnitude < 8; magnitude++)
                {
                    int next = AdjustIndex(index, magnitude);
                    table[index * 8 + magnitude] = state ? next * 8 : StepSizes[next];
                }
            }

            return table;
        }

        private static int[] BuildDelta()
        {
            int[] table = new int[(ImaAdpcm.MaxStepIndex + 1) * 8];
            for (int index = 0; index <= ImaAdpcm.MaxStepIndex; index++)
            {
                for (int magnitude = 0; magnitude < 8; magnitude++)
                {
                    table[index * 8 + magnitude] = ReferenceDelta(StepSizes[index], magnitude);
                }
            }

            return table;
        }
    }
}
