namespace WalkieTalkie.Badge.Audio
{
    /// <summary>
    /// Brings a burst's latency back after it grew. The lead (what the speaker still holds plus what waits in the
    /// jitter buffer) dips to its target, the prefill less one frame, just before each frame arrives; an underrun or a
    /// stall raises it for the rest of the burst. When the lowest lead of a whole window stayed above the target by
    /// more than a quarter of a block, the excess is taken out of the next blocks by playing them shorter. The lowest
    /// lead already allowed for the worst delay the window saw, so that margin stays.
    /// </summary>
    /// <remarks>
    /// After a dry spell (playing starts again after an underrun, or the badge itself did not run for a while) the
    /// frames that piled up meanwhile arrive together: the lead is then at its top, a frame above the lowest it will
    /// dip to, so whatever it holds beyond the prefill is taken back at once instead of after a whole window. A
    /// quarter of a block comes out of each block; while more than a frame is due, half of each, so a long stall is
    /// taken back in about twice its length.
    /// </remarks>
    public sealed class LatencyTrim
    {
        private readonly int _windowMilliseconds;
        private long _windowStart;
        private long _lastLook;
        private int _lowest;
        private bool _watching;
        private int _due;
        private int _blockSamples;
        private int _frameSamples;

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

        /// <summary>One look at the lead (all in samples) while the buffer plays.</summary>
        public void Observe(long now, int lead, int target, int frameSamples, int blockSamples)
        {
            if (_windowMilliseconds <= 0 || blockSamples <= 0)
            {
                return;
            }

            _blockSamples = blockSamples;
            _frameSamples = frameSamples;
            var stalled = _watching && now - _lastLook > _windowMilliseconds / 4;
            _lastLook = now;
            if (!_watching || stalled)
            {
                _watching = true;
                _windowStart = now;
                _lowest = lead;
                TakeBackAbove(lead - frameSamples, target);
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

            _due = 0;
            TakeBackAbove(_lowest, target);
            _windowStart = now;
            _lowest = lead;
        }

        /// <summary>How many samples to take out of the next received block.</summary>
        public int ForNextBlock()
        {
            var most = _due > _frameSamples ? _blockSamples / 2 : _blockSamples / 4;
            return _due < most ? _due : most;
        }

        /// <summary><paramref name="samples"/> were taken out.</summary>
        public void Took(int samples)
        {
            _due = samples >= _due ? 0 : _due - samples;
        }

        private void TakeBackAbove(int lowest, int target)
        {
            // A quarter of a block stays as slack: the lowest lead is seen a step before the frame that ends the dip
            // is taken, and delivery wobbles by a millisecond or two.
            var excess = lowest - target - _blockSamples / 4;
            if (excess > _due)
            {
                _due = excess;
            }
        }
    }
}
