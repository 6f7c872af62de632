using System.Device.Gpio;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Device.Audio;
using WalkieTalkie.Device.Settings;

namespace WalkieTalkie.Device.Indicator
{
    /// <summary>
    /// The status LED and the tones. Both calls from the badge only record what to show; <see cref="Pump"/>, called
    /// by the main loop between steps, blinks the LED (writing the pin only when its level changes: a GPIO write
    /// costs far more than a comparison on the interpreter) and feeds a tone to the speaker.
    /// </summary>
    public sealed class LedAndTones : IIndicator
    {
        private readonly GpioPin _led;
        private readonly I2sSpeaker _speaker;
        private readonly IClock _clock;
        private LedState _state;
        private long _stateSince;
        private bool _lit;

        public LedAndTones(GpioController gpio, I2sSpeaker speaker, IClock clock)
        {
            _speaker = speaker;
            _clock = clock;
            _led = gpio.OpenPin(SiteSettings.LedGpio, PinMode.Output);
            _led.Write(Level(false));
        }

        /// <inheritdoc />
        public void ShowLed(LedState state)
        {
            if (state != _state)
            {
                _state = state;
                _stateSince = _clock.Milliseconds;
            }
        }

        /// <inheritdoc />
        public void PlayTone(Tone tone)
        {
            _speaker.PlayTone(tone);
        }

        /// <summary>Updates the LED and feeds the speaker a tone chunk when one is due.</summary>
        public void Pump()
        {
            var lit = LedPattern.IsLit(_state, _clock.Milliseconds - _stateSince);
            if (lit != _lit)
            {
                _lit = lit;
                _led.Write(Level(lit));
            }

            _speaker.Pump();
        }

        /// <summary>LED off, for deep sleep.</summary>
        public void Off()
        {
            _lit = false;
            _led.Write(Level(false));
        }

        private static PinValue Level(bool lit)
        {
            return lit == SiteSettings.LedActiveHigh ? PinValue.High : PinValue.Low;
        }
    }
}
