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

        private void RequestReply(long now)
        {
            var channel = SelectedChannel;
            if (channel < 0)
            {
                _indicator.PlayTone(Tone.Busy);
                return;
            }

            _talk.RequestReply((byte)channel);
            _indicator.ShowLed(LedState.Requesting);
            SetMode(BadgeMode.Requesting, now);
        }

        private void OnGranted(FloorGranted granted, long now)
        {
            TakeGrant(granted, false, Tone.Talk, LedState.Talking, now);
        }

        private void OnReplyGranted(ReplyGranted granted, long now)
        {
            // The private grant in the floor grant's shape: the burst itself is sent and ended as any other.
            _replyGrant.Channel = granted.Channel;
            _replyGrant.BurstId = granted.BurstId;
            _replyGrant.MaxTalkSeconds = granted.MaxTalkSeconds;
            TakeGrant(_replyGrant, true, Tone.PrivateTalk, LedState.PrivateTalking, now);
        }

        /// <summary>Starts the granted burst when the badge waits for this kind of grant; hands it back otherwise.</summary>
        private void TakeGrant(FloorGranted granted, bool privateReply, Tone tone, LedState led, long now)
        {
            if (!AwaitsGrant(granted.Channel, privateReply))
            {
                _talk.HandBack(granted);
                return;
            }

            _indicator.PlayTone(tone);
            _indicator.ShowLed(led);
            // A reply wished for at the end of an earlier burst that was revoked instead is void.
            _replyWanted = false;
            var maxTalkSeconds = _emergencyMicrophone ? _options.SosMicrophoneSeconds : _active.MaxTalkSeconds;
            _talk.Begin(granted, _active.RateCodeOf(granted.Channel), _active.BlocksPerFrame, maxTalkSeconds,
                _talkButton.IsDown || _emergencyMicrophone, now);
            SetMode(BadgeMode.Talking, now);
            PublishState(BadgeStatus.Talking);
        }

        private void OnReplyDenied(ReplyDenied denied, long now)
        {
            if (!AwaitsGrant(denied.Channel, true))
            {
                return;
            }

            _observer.Event(BadgeEvent.ReplyDenied, denied.Channel, 0, (int)denied.Reason);
            Refuse(now);
        }

        /// <summary>True when the badge waits for the answer to a request of this kind on this channel.</summary>
        private bool AwaitsGrant(byte channel, bool privateReply)
        {
            return _mode == BadgeMode.Requesting && channel == _talk.RequestedChannel && _talk.IsPrivate == privateReply;
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
            if (!AwaitsGrant(denied.Channel, false))
            {
                return;
            }

            _observer.Event(BadgeEvent.FloorDenied, denied.Channel, 0, (int)denied.Reason);
            Refuse(now, denied.Reason == DenyReason.Collision ? Tone.Collision : Tone.Busy);
        }

        private void Refuse(long now)
        {
            Refuse(now, Tone.Busy);
        }

        private void Refuse(long now, Tone tone)
        {
            _indicator.PlayTone(tone);
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
                if (_replyWanted)
                {
                    EnterIdle(now);
                    RequestReply(now);
                }
                else if (_talkButton.IsDown && !_emergencyMicrophone)
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

                _replyWanted = false;
            }

            return true;
        }
    }
}
