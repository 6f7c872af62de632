using System;
using System.Device.Gpio;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Device.Settings;

namespace WalkieTalkie.Device.Input
{
    /// <summary>
    /// The two buttons (to GND with external pull-ups, so pressed reads low). The native driver debounces: after the
    /// first edge it waits <see cref="SiteSettings.DebounceMilliseconds"/>, re-reads the level and only then raises
    /// the event, which keeps the level seen here. Presses, releases and long presses are the Badge library's work.
    /// </summary>
    public sealed class GpioButtons : IButtons
    {
        private readonly GpioPin _talk;
        private readonly GpioPin _channel;
        // Set on the GPIO event thread, read on the badge thread; single bool stores need no lock.
        private bool _talkDown;
        private bool _channelDown;

        public GpioButtons(GpioController gpio)
        {
            _talk = Open(gpio, SiteSettings.PttButtonGpio);
            _channel = Open(gpio, SiteSettings.ChannelButtonGpio);
            _talkDown = IsPressed(_talk.Read(), SiteSettings.PttButtonActiveHigh);
            _channelDown = IsPressed(_channel.Read(), SiteSettings.ChannelButtonActiveHigh);
            _talk.ValueChanged += OnTalkChanged;
            _channel.ValueChanged += OnChannelChanged;
        }

        /// <summary>Push-to-talk is held right now (read from the pin, for the wake path before events flow).</summary>
        public bool TalkHeldNow
        {
            get { return IsPressed(_talk.Read(), SiteSettings.PttButtonActiveHigh); }
        }

        /// <inheritdoc />
        public bool IsDown(ButtonId button)
        {
            return button == ButtonId.Talk ? _talkDown : _channelDown;
        }

        private static GpioPin Open(GpioController gpio, int number)
        {
            // Input without internal pulls: the board has external ones (deep sleep does not keep internal pulls).
            var pin = gpio.OpenPin(number, PinMode.Input);
            pin.DebounceTimeout = TimeSpan.FromTicks(SiteSettings.DebounceMilliseconds * TimeSpan.TicksPerMillisecond);
            return pin;
        }

        private static bool IsPressed(PinValue level, bool activeHigh)
        {
            return (level == PinValue.High) == activeHigh;
        }

        private void OnTalkChanged(object sender, PinValueChangedEventArgs e)
        {
            _talkDown = (e.ChangeType == PinEventTypes.Rising) == SiteSettings.PttButtonActiveHigh;
        }

        private void OnChannelChanged(object sender, PinValueChangedEventArgs e)
        {
            _channelDown = (e.ChangeType == PinEventTypes.Rising) == SiteSettings.ChannelButtonActiveHigh;
        }
    }
}
