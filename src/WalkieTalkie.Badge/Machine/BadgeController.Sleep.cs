using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    // Standby (audio off, MQTT kept) and pocket sleep (deep sleep until the button or the check-in timer); when is the SleepPolicy's.
    public sealed partial class BadgeController
    {
        private void EnterStandby(long now)
        {
            _sleep.AnnounceStandby(now);
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

            uint checkIn = _active.Config.CheckInSeconds;
            _sleep.AnnouncePocket(checkIn, now);
            PublishState(BadgeStatus.Pocket);
            _link.Disconnect();
            _indicator.ShowLed(LedState.Off);
            _observer.Event(BadgeEvent.Sleeping, (byte)SelectedChannelOrZero(), 0, (int)SleepMode.Pocket);
            SetMode(BadgeMode.Pocket, now);
            _power.EnterPocket(checkIn);
        }

        /// <summary>
        /// Pocket sleep as a simulation sees it (the device never gets here: deep sleep ends in a restart). The
        /// button or the check-in time restarts the badge; the power adapter reports which.
        /// </summary>
        private bool StepPocket(long now)
        {
            if (_buttons.IsDown(ButtonId.Talk) || _sleep.IsCheckInDue(now))
            {
                Start(_buttons.IsDown(ButtonId.Talk) ? WakeCause.Button : WakeCause.Timer);
                return true;
            }

            return false;
        }
    }
}
