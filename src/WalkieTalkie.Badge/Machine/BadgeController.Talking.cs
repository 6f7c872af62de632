using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    // Push-to-talk as the modes see it: request, grant or refusal, the burst's end. The burst itself is the TalkSession's.
    public sealed partial class BadgeController
    {
        private void RequestFloor(long now, bool emergency)
        {
            var channel = SelectedChannel;
            if (channel < 0)
            {
                // No configuration yet: nothing to talk on.
                _indicator.PlayTone(Tone.Busy);
                return;
            }

            _talk.Request((byte)channel, emergency);
            _indicator.ShowLed(LedState.Requesting);
            SetMode(BadgeMode.Requesting, now);
        }

        private void OnGranted(FloorGranted granted, long now)
        {
            if (_mode != BadgeMode.Requesting || granted.Channel != _talk.RequestedChannel)
            {
                _talk.HandBack(granted);
                return;
            }

            _indicator.PlayTone(Tone.Talk);
            _indicator.ShowLed(LedState.Talking);
            var maxTalkSeconds = _emergencyMicrophone ? _options.SosMicrophoneSeconds : _active.MaxTalkSeconds;
            _talk.Begin(granted, _active.RateCodeOf(granted.Channel), _active.BlocksPerFrame, maxTalkSeconds,
                _talkButton.IsDown || _emergencyMicrophone, now);
            SetMode(BadgeMode.Talking, now);
            PublishState(BadgeStatus.Talking);
        }

        private void OnListeners(Listeners listeners)
        {
            if (_mode != BadgeMode.Talking || listeners.BurstId != _talk.BurstId)
            {
                return;
            }

            _observer.Event(BadgeEvent.ListenersCounted, listeners.Channel, listeners.BurstId, listeners.Live);
            if (listeners.Live == 0)
            {
                _indicator.PlayTone(Tone.NobodyListening);
            }
        }

        private void OnDenied(FloorDenied denied, long now)
        {
            if (_mode != BadgeMode.Requesting || denied.Channel != _talk.RequestedChannel)
            {
                return;
            }

            _observer.Event(BadgeEvent.FloorDenied, denied.Channel, 0, (int)denied.Reason);
            Refuse(now);
        }

        private void Refuse(long now)
        {
            _indicator.PlayTone(Tone.Busy);
            _indicator.ShowLed(LedState.Busy);
            SetMode(BadgeMode.Denied, now);
        }

        private void OnRevoked(FloorRevoked revoked, long now)
        {
            if (_mode != BadgeMode.Talking || revoked.BurstId != _talk.BurstId)
            {
                return;
            }

            _talk.Revoke(revoked.Reason);
            _indicator.PlayTone(revoked.Reason == EndReason.Collision ? Tone.Collision : Tone.Preempted);
            _indicator.ShowLed(LedState.Busy);
            SetMode(BadgeMode.Revoked, now);
            PublishState(BadgeStatus.Idle);
        }

        private bool StepTalking(long now)
        {
            if (_talk.ReachMaxTalkTime(now) && !_emergencyMicrophone)
            {
                _indicator.PlayTone(Tone.Preempted);
            }

            if (!_talk.Step())
            {
                return false;
            }

            if (_talk.HasEnded)
            {
                if (_talkButton.IsDown && !_emergencyMicrophone)
                {
                    // Stopped by the maximum talk time: wait for the wearer to let go before anything else.
                    _indicator.ShowLed(LedState.Busy);
                    SetMode(BadgeMode.Revoked, now);
                    PublishState(BadgeStatus.Idle);
                }
                else
                {
                    EnterIdle(now);
                }
            }

            return true;
        }
    }
}
