namespace WalkieTalkie.Badge.Audio
{
    /// <summary>
    /// Brings a burst's latency back after it grew. The lead (what the speaker still holds plus what waits in the
    /// jitter buffer) dips to its target, the prefill less one frame, just before each frame arrives; an underrun or a
    /// stall raises it for the rest of the burst. When the lowest lead of a whole window stayed above the target by
    /// more than a quarter of a block, the excess is taken out of the next blocks, at most a quarter of each, by
    /// playing them shorter. The lowest lead already allowed for the worst delay the window saw, so that margin stays.
    /// </summary>
    public sealed class LatencyTrim
    {
        private readonly int _windowMilliseconds;
        private long _windowStart;
        private int _lowest;
        private bool _watching;
        private int _due;
        private int _blockSamples;

        /// <param name="windowMilliseconds">How long the lead must stay high before blocks are shortened (0: never).</param>
        public LatencyTrim(int windowMilliseconds)
        {
            _windowMilliseconds = windowMilliseconds;
        }

        /// <summary>Samples still to take out.</summary>
        public int Due
        {
            get { return _due; }
        }

        /// <summary>Playing stopped, or waits to fill up again: what was seen no longer counts.</summary>
        public void Reset()
        {
            _watching = false;
            _due = 0;
        }

        /// <summary>One look at the lead (in samples) while the buffer plays.</summary>
        public void Observe(long now, int lead, int target, int blockSamples)
        {
            if (_windowMilliseconds <= 0 || blockSamples <= 0)
            {
                return;
            }

            _blockSamples = blockSamples;
            if (!_watching)
            {
                _watching = true;
                _windowStart = now;
                _lowest = lead;
                return;
            }

            if (lead < _lowest)
            {
                _lowest = lead;
            }

            if (now - _windowStart < _windowMilliseconds)
            {
                return;
            }

            // A quarter of a block stays as slack: the lowest lead is seen a step before the frame that ends the dip
            // is taken, and delivery wobbles by a millisecond or two.
            var excess = _lowest - target - blockSamples / 4;
            _due = excess > 0 ? excess : 0;
            _windowStart = now;
            _lowest = lead;
        }

        /// <summary>How many samples to take out of the next received block.</summary>
        public int ForNextBlock()
        {
            var most = _blockSamples / 4;
            return _due < most ? _due : most;
        }

        /// <summary><paramref name="samples"/> were taken out.</summary>
        public void Took(int samples)
        {
            _due = samples >= _due ? 0 : _due - samples;
        }
    }
}
