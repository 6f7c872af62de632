using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    // Standby (audio off, MQTT kept) and pocket sleep (deep sleep until the button or the check-in timer).
    public sealed partial class BadgeController
    {
        private void EnterStandby(long now)
        {
            _sleep.Mode = SleepMode.Standby;
            _sleep.NextCheckInSeconds = 0;
            Publish(_sleep);
            PublishState(BadgeStatus.Standby);
            _power.SetStandby(true);
            _indicator.ShowLed(LedState.Standby);
            _observer.Event(BadgeEvent.Sleeping, (byte)SelectedChannelOrZero(), 0, (int)SleepMode.Standby);
            SetMode(BadgeMode.Standby, now);
        }

        private void LeaveStandby()
        {
            _power.SetStandby(false);
        }

        private void EnterPocket(long now)
        {
            if (_mode == BadgeMode.Standby)
            {
                LeaveStandby();
            }

            // The interval, not a time of day: the wire says "next check-in in seconds", and the timer needs no
            // synced clock, so a badge without time sync still checks in.
            var checkIn = _config.CheckInSeconds;
            _sleep.Mode = SleepMode.Pocket;
            _sleep.NextCheckInSeconds = checkIn;
            Publish(_sleep);
            PublishState(BadgeStatus.Pocket);
            _transport.Disconnect();
            _indicator.ShowLed(LedState.Off);
            _observer.Event(BadgeEvent.Sleeping, (byte)SelectedChannelOrZero(), 0, (int)SleepMode.Pocket);
            _pocketWakeAt = checkIn == 0 ? long.MaxValue : now + checkIn * 1000L;
            SetMode(BadgeMode.Pocket, now);
            _power.EnterPocket(checkIn);
        }

        /// <summary>
        /// Pocket sleep as a simulation sees it (the device never gets here: deep sleep ends in a restart). The
        /// button or the check-in time restarts the badge; the power adapter reports which.
        /// </summary>
        private bool StepPocket(long now)
        {
            if (_buttons.IsDown(ButtonId.Talk) || now >= _pocketWakeAt)
            {
                Start(_buttons.IsDown(ButtonId.Talk) ? WakeCause.Button : WakeCause.Timer);
                return true;
            }

            return false;
        }
    }
}
