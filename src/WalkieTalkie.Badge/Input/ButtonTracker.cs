namespace WalkieTalkie.Badge.Input
{
    /// <summary>
    /// Turns one button's level, sampled once per step, into presses, releases and long presses. A step is at most
    /// one audio block (20 to 40 ms), which is also the debounce: a bounce shorter than a step is never seen.
    /// </summary>
    public sealed class ButtonTracker
    {
        private readonly int _longPressMilliseconds;
        private bool _down;
        private bool _longReported;
        private long _downSince;

        public ButtonTracker(int longPressMilliseconds)
        {
            _longPressMilliseconds = longPressMilliseconds;
        }

        /// <summary>True while the button is held.</summary>
        public bool IsDown
        {
            get { return _down; }
        }

        /// <summary>How long the button has been held at <paramref name="now"/>; 0 while it is up.</summary>
        public long HeldMilliseconds(long now)
        {
            return _down ? now - _downSince : 0;
        }

        /// <summary>Feeds the level seen at <paramref name="now"/> (milliseconds) and returns what changed.</summary>
        public ButtonEvent Update(bool down, long now)
        {
            if (down && !_down)
            {
                _down = true;
                _longReported = false;
                _downSince = now;
                return ButtonEvent.Pressed;
            }

            if (!down && _down)
            {
                _down = false;
                return _longReported ? ButtonEvent.LongReleased : ButtonEvent.Released;
            }

            if (down && !_longReported && now - _downSince >= _longPressMilliseconds)
            {
                _longReported = true;
                return ButtonEvent.LongPress;
            }

            return ButtonEvent.None;
        }

        /// <summary>Takes the current level as known without reporting it (after a wake by this very button).</summary>
        public void Assume(bool down, long now)
        {
            _down = down;
            _longReported = false;
            _downSince = now;
        }
    }
}
