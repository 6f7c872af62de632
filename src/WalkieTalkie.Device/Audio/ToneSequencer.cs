using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Device.Audio
{
    /// <summary>
    /// The signal tones as sequences of (frequency, milliseconds) steps, rendered as a soft square wave into
    /// caller-owned buffers a chunk at a time, so a tone can be fed to the speaker between the badge's steps.
    /// Integer phase arithmetic, nothing allocated after construction.
    /// </summary>
    public sealed class ToneSequencer
    {
        /// <summary>Peak level: about a quarter of full scale, loud on a badge speaker without clipping when mixed.</summary>
        public const int Amplitude = 8000;

        // Pairs of frequency in Hz (0: silence) and duration in ms; each array is one tone.
        private static readonly int[] TalkSteps = { 1200, 70, 0, 40, 1600, 90 };
        private static readonly int[] BusySteps = { 425, 150, 0, 100, 425, 150, 0, 100, 425, 150 };
        private static readonly int[] PreemptedSteps = { 1000, 150, 700, 150, 500, 200 };
        private static readonly int[] CollisionSteps = { 800, 60, 500, 60, 800, 60, 500, 60, 800, 60, 500, 60 };
        private static readonly int[] LowBatterySteps = { 400, 200, 0, 150, 300, 300 };
        private static readonly int[] PermitOfferSteps = { 600, 80, 0, 40, 900, 80, 0, 40, 1200, 80 };
        private static readonly int[] ConnectionLostSteps = { 300, 400 };
        private static readonly int[] ChannelChangedSteps = { 1000, 60 };
        private static readonly int[] EndOfBurstSteps = { 1400, 50, 1800, 70 };
        private static readonly int[] NobodyListeningSteps = { 500, 100, 0, 80, 500, 100, 0, 80, 350, 300 };
        private static readonly int[] DoNotDisturbOnSteps = { 900, 80, 0, 40, 600, 120 };
        private static readonly int[] DoNotDisturbOffSteps = { 600, 80, 0, 40, 900, 120 };
        private static readonly int[] EmergencyOpenedSteps = { 1500, 150, 0, 50, 1500, 150, 0, 50, 1500, 150 };
        // A two-tone siren for two seconds: unlike anything else the badge plays.
        private static readonly int[] EmergencyAlarmSteps = { 960, 250, 770, 250, 960, 250, 770, 250, 960, 250, 770, 250, 960, 250, 770, 250 };
        private static readonly int[] EmergencyClosedSteps = { 800, 120, 0, 60, 800, 120, 600, 250 };
        // The talk tone's two notes said twice, lower: "speak now" and, unmistakably, not to everyone.
        private static readonly int[] PrivateTalkSteps = { 900, 60, 0, 30, 1200, 60, 0, 30, 900, 60, 0, 30, 1200, 60 };
        private static readonly int[] PrivateIncomingSteps = { 1200, 60, 0, 30, 900, 60, 0, 30, 1200, 60, 0, 30, 900, 60 };

        private readonly int _sampleRate;
        private int[] _steps;
        private int _step;
        private int _samplesLeftInStep;
        private int _phase;
        private int _increment;

        public ToneSequencer(int sampleRate)
        {
            _sampleRate = sampleRate;
        }

        /// <summary>True while a tone has samples left.</summary>
        public bool IsPlaying
        {
            get { return _steps != null; }
        }

        /// <summary>The steps of <paramref name="tone"/>, or null for a value with no sound.</summary>
        public static int[] StepsOf(Tone tone)
        {
            switch (tone)
            {
                case Tone.Talk: return TalkSteps;
                case Tone.Busy: return BusySteps;
                case Tone.Preempted: return PreemptedSteps;
                case Tone.Collision: return CollisionSteps;
                case Tone.LowBattery: return LowBatterySteps;
                case Tone.PermitOffer: return PermitOfferSteps;
                case Tone.ConnectionLost: return ConnectionLostSteps;
                case Tone.ChannelChanged: return ChannelChangedSteps;
                case Tone.EndOfBurst: return EndOfBurstSteps;
                case Tone.NobodyListening: return NobodyListeningSteps;
                case Tone.DoNotDisturbOn: return DoNotDisturbOnSteps;
                case Tone.DoNotDisturbOff: return DoNotDisturbOffSteps;
                case Tone.EmergencyOpened: return EmergencyOpenedSteps;
                case Tone.EmergencyAlarm: return EmergencyAlarmSteps;
                case Tone.EmergencyClosed: return EmergencyClosedSteps;
                case Tone.PrivateTalk: return PrivateTalkSteps;
                case Tone.PrivateIncoming: return PrivateIncomingSteps;
                default: return null;
            }
        }

        /// <summary>Total length of <paramref name="tone"/> in milliseconds (0 for a value with no sound).</summary>
        public static int DurationOf(Tone tone)
        {
            var steps = StepsOf(tone);
            var total = 0;
            for (var i = 1; steps != null && i < steps.Length; i += 2)
            {
                total += steps[i];
            }

            return total;
        }

        /// <summary>Starts <paramref name="tone"/>, cutting off any tone still playing.</summary>
        public void Start(Tone tone)
        {
            _steps = StepsOf(tone);
            _step = -2;
            _samplesLeftInStep = 0;
            NextStep();
        }

        /// <summary>Stops at once.</summary>
        public void Stop()
        {
            _steps = null;
        }

        /// <summary>
        /// Writes the next <paramref name="count"/> samples of the tone into <paramref name="samples"/> from
        /// <paramref name="offset"/> (silence once it has ended). When <paramref name="mix"/> is true the tone is added
        /// to what is there, clipped, instead of replacing it. Returns the samples that carried the tone.
        /// </summary>
        public int Render(short[] samples, int offset, int count, bool mix)
        {
            var rendered = 0;
            for (var i = 0; i < count; i++)
            {
                var level = 0;
                if (_steps != null)
                {
                    if (_increment > 0)
                    {
                        // The phase runs over two sample rates per period: high for the first, low for the second,
                        // so the frequency is exact on average (a whole-sample half period would be up to 11 % off).
                        level = _phase < _sampleRate ? Amplitude : -Amplitude;
                        _phase += _increment;
                        if (_phase >= 2 * _sampleRate)
                        {
                            _phase -= 2 * _sampleRate;
                        }
                    }

                    rendered++;
                    _samplesLeftInStep--;
                    if (_samplesLeftInStep <= 0)
                    {
                        NextStep();
                    }
                }

                var index = offset + i;
                if (mix)
                {
                    var sum = samples[index] + level;
                    samples[index] = (short)(sum > short.MaxValue ? short.MaxValue : (sum < short.MinValue ? short.MinValue : sum));
                }
                else
                {
                    samples[index] = (short)level;
                }
            }

            return rendered;
        }

        private void NextStep()
        {
            while (_steps != null)
            {
                _step += 2;
                if (_step >= _steps.Length)
                {
                    _steps = null;
                    return;
                }

                var frequency = _steps[_step];
                _samplesLeftInStep = _sampleRate * _steps[_step + 1] / 1000;
                _increment = frequency <= 0 ? 0 : 2 * frequency;
                _phase = 0;
                if (_samplesLeftInStep > 0)
                {
                    return;
                }
            }
        }
    }
}
