using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Input;

namespace WalkieTalkie.Badge.Machine
{
    // What the two buttons do in each mode. A double press of push-to-talk answers the channel's last talker
    // privately; its first press asks for the channel's floor at once, as a single press does, so that ordinary talk
    // waits for nothing: only the second press, within the window, turns into the private request.
    public sealed partial class BadgeController
    {
        private bool _channelHoldUsed;
        private bool _sosHoldDone;
        private bool _talkPressSeen;
        private long _lastTalkPressAt;
        private bool _replyWanted;

        private void ReadButtons(long now)
        {
            var talk = _talkButton.Update(_buttons.IsDown(ButtonId.Talk), now);
            var channel = _channelButton.Update(_buttons.IsDown(ButtonId.Channel), now);
            if (talk == ButtonEvent.Pressed || channel == ButtonEvent.Pressed)
            {
                // The wearer is using the badge: a check-in wake becomes an ordinary one.
                _sleep.Touched();
            }

            if (channel == ButtonEvent.Pressed)
            {
                _sosHoldDone = false;
            }
            else if (!_sosHoldDone && _channelButton.HeldMilliseconds(now) >= _options.SosHoldMilliseconds)
            {
                // While still held, so the wearer hears the confirming tone without letting go; the hold is then used
                // and its release toggles no do-not-disturb.
                _sosHoldDone = true;
                _channelHoldUsed = true;
                OnSosHold(now);
            }

            if (talk == ButtonEvent.Pressed)
            {
                OnTalkPressed(now);
            }
            else if (talk == ButtonEvent.Released || talk == ButtonEvent.LongReleased)
            {
                OnTalkReleased(now);
            }

            if (channel == ButtonEvent.Released && (_mode == BadgeMode.Idle || _mode == BadgeMode.Standby))
            {
                SelectNextChannel(now);
            }
            else if (channel == ButtonEvent.LongPress)
            {
                _channelHoldUsed = _permits.IsPending;
                AcceptOffer();
            }
            else if (channel == ButtonEvent.LongReleased && !_channelHoldUsed && _link.IsConnected)
            {
                // On release, not at the long-press time: a hold that goes on to mean something else (a longer
                // gesture) marks itself used and toggles nothing.
                ToggleDoNotDisturb();
            }
        }

        private void OnTalkPressed(long now)
        {
            var second = IsSecondPress(now);
            switch (_mode)
            {
                case BadgeMode.Idle:
                    RequestTalk(now, second);
                    break;
                case BadgeMode.Standby:
                    LeaveStandby();
                    RequestTalk(now, second);
                    break;
                case BadgeMode.Talking:
                    // The first press's burst is still closing: the reply follows as soon as it has.
                    _replyWanted = second && _talk.IsFinishing;
                    break;
                case BadgeMode.Connecting:
                    _talkWanted = true;
                    break;
                case BadgeMode.Receiving:
                    if (_active.MayOverride)
                    {
                        // A priority talker cuts in: the gateway decides (it preempts the talker, or says busy to an
                        // emergency); what was playing gives way and is kept to be played later.
                        _receive.Abort();
                        _unplayed.PutBack(_receive.BurstId, _receive.Channel);
                        RequestFloor(now, false);
                    }
                    else if (_receive.IsLiveTail)
                    {
                        // The talker has let go and the floor is free; only the buffer's last blocks still play. An
                        // answer right away (or a double press to reply) cuts them, as on a radio, instead of busy.
                        _receive.FinishTail();
                        _unplayed.Finished(_receive.BurstId);
                        RequestTalk(now, second);
                    }
                    else
                    {
                        // Half duplex: someone is talking to us; the floor is theirs.
                        _indicator.PlayTone(Tone.Busy);
                    }

                    break;
            }
        }

        /// <summary>True when this press follows the previous one within the double-press window; a third press starts over.</summary>
        private bool IsSecondPress(long now)
        {
            var second = _talkPressSeen && now - _lastTalkPressAt <= _options.DoublePressMilliseconds;
            _talkPressSeen = !second;
            _lastTalkPressAt = now;
            return second;
        }

        private void RequestTalk(long now, bool privateReply)
        {
            if (privateReply)
            {
                RequestReply(now);
            }
            else
            {
                RequestFloor(now, false);
            }
        }

        private void OnTalkReleased(long now)
        {
            if (_emergencyMicrophone)
            {
                // The emergency's microphone stays open for its time whether push-to-talk is held or not.
                return;
            }

            switch (_mode)
            {
                case BadgeMode.Requesting:
                    // Let go before the answer: a grant that still comes is handed back at once.
                    EnterIdle(now);
                    break;
                case BadgeMode.Talking:
                    _talk.Release();
                    _replyWanted = false;
                    break;
                case BadgeMode.Connecting:
                    _talkWanted = false;
                    break;
            }
        }
    }
}
