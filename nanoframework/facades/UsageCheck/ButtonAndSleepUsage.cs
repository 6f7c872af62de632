using System;
using System.Device.Gpio;
using nanoFramework.Hardware.Esp32;

namespace WalkieTalkie.FacadeUsageCheck
{
    /// <summary>PTT with native debounce, and pocket mode: ext1 wake on the PTT pin plus a check-in timer.</summary>
    internal sealed class ButtonAndSleepUsage
    {
        private bool _pressed;

        public void WatchPushToTalk(GpioController gpio)
        {
            var ptt = gpio.OpenPin(33, PinMode.Input);
            ptt.DebounceTimeout = TimeSpan.FromTicks(30 * TimeSpan.TicksPerMillisecond);
            ptt.ValueChanged += OnPushToTalk;
            gpio.RegisterCallbackForPinValueChangedEvent(32, PinEventTypes.Falling | PinEventTypes.Rising, OnChannel);
        }

        public bool WokeByPushToTalk()
        {
            return Sleep.GetWakeupCause() == Sleep.WakeupCause.Ext1
                && (Sleep.GetWakeupGpioPin() & Sleep.WakeupGpioPin.Pin33) != 0;
        }

        public void SleepInPocket(int checkInSeconds)
        {
            if (Sleep.EnableWakeupByMultiPins(Sleep.WakeupGpioPin.Pin33, Sleep.WakeupMode.AllLow) != EspNativeError.OK
                || Sleep.EnableWakeupByTimer(TimeSpan.FromTicks(checkInSeconds * TimeSpan.TicksPerSecond)) != EspNativeError.OK)
            {
                return;
            }

            Sleep.StartDeepSleep();
        }

        private void OnPushToTalk(object sender, PinValueChangedEventArgs e)
        {
            _pressed = e.ChangeType == PinEventTypes.Falling;
        }

        private void OnChannel(object sender, PinValueChangedEventArgs e)
        {
            _pressed = e.PinNumber == 32 && e.ChangeType == PinEventTypes.Falling;
        }
    }
}
