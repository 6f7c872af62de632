using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    // SOS: the second button held for the SOS time opens an emergency (or cancels the badge's own open one); the
    // emergency's microphone then stays open for its time without push-to-talk. The gateway keeps the emergency open
    // until it is cancelled and tells every badge of its channels with emergency-state.
    public sealed partial class BadgeController
    {
        private readonly Emergency _emergencyMessage = new Emergency();
        private bool _emergencyOpen;
        private bool _emergencyMicrophone;

        /// <summary>True while this badge's own emergency is open (as the badge last knew).</summary>
        public bool EmergencyOpen
        {
            get { return _emergencyOpen; }
        }

        /// <summary>How long the second button is held for SOS.</summary>
        public int SosHoldMilliseconds
        {
            get { return _options.SosHoldMilliseconds; }
        }

        private LedState IdleLed
        {
            get { return _emergencyOpen ? LedState.Emergency : _quiet.IdleLed; }
        }

        private void OnSosHold(long now)
        {
            if (!_link.IsConnected)
            {
                // Nobody to tell: the wearer hears that it did not go out and can hold again once connected.
                _indicator.PlayTone(Tone.ConnectionLost);
                return;
            }

            _emergencyOpen = !_emergencyOpen;
            _emergencyMessage.Open = _emergencyOpen;
            _link.PublishControl(_emergencyMessage);
            _observer.Event(BadgeEvent.EmergencyGesture, (byte)SelectedChannelOrZero(), 0, _emergencyOpen ? 1 : 0);
            if (!_emergencyOpen)
            {
                _indicator.PlayTone(Tone.EmergencyClosed);
                ShowIdleLed();
                return;
            }

            _indicator.PlayTone(Tone.EmergencyOpened);
            OpenEmergencyMicrophone(now);
        }

        /// <summary>Asks for the floor with the emergency flag; what is playing now gives way (it is kept to be played later).</summary>
        private void OpenEmergencyMicrophone(long now)
        {
            switch (_mode)
            {
                case BadgeMode.Standby:
                    LeaveStandby();
                    break;
                case BadgeMode.Receiving:
                    _receive.Abort();
                    _unplayed.PutBack(_receive.BurstId, _receive.Channel);
                    break;
                case BadgeMode.Idle:
                case BadgeMode.Denied:
                case BadgeMode.Revoked:
                    break;
                default:
                    // Already requesting or talking: the gateway opens the emergency on the message alone.
                    _indicator.ShowLed(LedState.Emergency);
                    return;
            }

            // Without a channel there is no floor to ask for: the request refuses with the busy tone.
            _emergencyMicrophone = SelectedChannel >= 0;
            RequestFloor(now, true);
        }

        private void OnEmergencyState(EmergencyState state)
        {
            if (state.Badge == _settings.BadgeId)
            {
                _observer.Event(BadgeEvent.EmergencyConfirmed, 0, 0, state.Open ? 1 : 0);
                if (_emergencyOpen && !state.Open)
                {
                    // Cancelled by an admin.
                    _indicator.PlayTone(Tone.EmergencyClosed);
                }

                _emergencyOpen = state.Open;
                ShowIdleLed();
                return;
            }

            _observer.Event(BadgeEvent.EmergencyHeard, 0, 0, state.Open ? 1 : 0);
            if (state.Open)
            {
                _indicator.PlayTone(Tone.EmergencyAlarm);
            }
        }
    }
}
