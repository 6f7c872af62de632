namespace WalkieTalkie.Badge.Audio
{
    /// <summary>
    /// How much audio the speaker still holds, reckoned from what was written and the clock: the speaker sounds at
    /// its sample rate, and a block written after it ran dry starts when it is written. The playback interface only
    /// says whether a block may be written; the jitter buffer needs to know how long the speaker can go on without it.
    /// </summary>
    public sealed class SpeakerQueue
    {
        private long _startedAt;
        private long _end;
        private int _rate;

        /// <summary>The speaker started (empty) at <paramref name="sampleRate"/>.</summary>
        public void Start(int sampleRate, long now)
        {
            _rate = sampleRate < 1 ? 1 : sampleRate;
            _startedAt = now;
            _end = 0;
        }

        /// <summary><paramref name="samples"/> were written <paramref name="now"/>.</summary>
        public void Wrote(int samples, long now)
        {
            var position = Position(now);
            if (_end < position)
            {
                _end = position;
            }

            _end += samples;
        }

        /// <summary>Samples written but not sounded yet.</summary>
        public int Held(long now)
        {
            var held = _end - Position(now);
            return held > 0 ? (int)held : 0;
        }

        /// <summary>Samples for <paramref name="milliseconds"/> at the speaker's rate.</summary>
        public int SamplesFor(int milliseconds)
        {
            return (int)((long)milliseconds * _rate / 1000);
        }

        // Samples sounded since the start, had the speaker never stopped.
        private long Position(long now)
        {
            return (now - _startedAt) * _rate / 1000;
        }
    }
}
