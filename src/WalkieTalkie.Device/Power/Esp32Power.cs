using System;
using nanoFramework.Hardware.Esp32;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Device.Audio;
using WalkieTalkie.Device.Indicator;
using WalkieTalkie.Device.Settings;

namespace WalkieTalkie.Device.Power
{
    /// <summary>
    /// Wake cause, battery, standby and pocket sleep on the ESP32. Standby powers the audio path down and leaves
    /// Wi-Fi in the chip's default modem sleep (nanoFramework offers no power-save control; light sleep would need
    /// Wi-Fi stopped). Pocket is deep sleep: push-to-talk (ext1, all-low on its pin) or the check-in timer wakes the
    /// chip, which then restarts into Main with the cause read from <see cref="Sleep.GetWakeupCause"/>.
    /// </summary>
    public sealed class Esp32Power : IPower
    {
        private readonly BatteryGauge _battery;
        private readonly I2sSpeaker _speaker;
        private readonly IAudioCapture _microphone;
        private readonly LedAndTones _indicator;

        public Esp32Power(WakeCause wakeCause, BatteryGauge battery, I2sSpeaker speaker, IAudioCapture microphone, LedAndTones indicator)
        {
            WakeCause = wakeCause;
            _battery = battery;
            _speaker = speaker;
            _microphone = microphone;
            _indicator = indicator;
        }

        /// <inheritdoc />
        public WakeCause WakeCause { get; private set; }

        /// <inheritdoc />
        public int BatteryMillivolts
        {
            get { return _battery.ReadMillivolts(); }
        }

        /// <inheritdoc />
        public int BatteryPercent
        {
            get { return BatteryCurve.PercentOf(_battery.ReadMillivolts()); }
        }

        /// <summary>Why the chip started: read once, first thing in Main (deep sleep ends in a full restart).</summary>
        public static WakeCause ReadWakeCause()
        {
            var cause = Sleep.GetWakeupCause();
            if (cause == Sleep.WakeupCause.Ext1 || cause == Sleep.WakeupCause.Ext0)
            {
                return WakeCause.Button;
            }

            return cause == Sleep.WakeupCause.Timer ? WakeCause.Timer : WakeCause.Reset;
        }

        /// <inheritdoc />
        public void SetStandby(bool on)
        {
            if (on)
            {
                _microphone.Stop();
                _speaker.PowerDown();
            }

            // Off: the audio path powers up on the badge's next Start of capture or playback.
        }

        /// <inheritdoc />
        public void EnterPocket(uint checkInSeconds)
        {
            SleepNow(checkInSeconds);
        }

        /// <summary>
        /// Powers everything down and enters deep sleep, woken by push-to-talk and, when <paramref name="seconds"/> is
        /// positive, by the timer. Does not return on the device.
        /// </summary>
        public void SleepNow(long seconds)
        {
            _microphone.Stop();
            _speaker.PowerDown();
            _indicator.Off();
            Sleep.EnableWakeupByMultiPins(SiteSettings.PttButtonWakeMask, SiteSettings.PttButtonActiveHigh ? Sleep.WakeupMode.AnyHigh : Sleep.WakeupMode.AllLow);
            if (seconds > 0)
            {
                Sleep.EnableWakeupByTimer(TimeSpan.FromTicks(seconds * TimeSpan.TicksPerSecond));
            }

            Sleep.StartDeepSleep();
        }
    }
}
