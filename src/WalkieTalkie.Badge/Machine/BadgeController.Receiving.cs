using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    // Listening as the modes see it: which burst plays now, which waits its turn. Playing is the ReceiveSession's,
    // asking for missed bursts the UnplayedRequests'.
    public sealed partial class BadgeController
    {
        private uint _privateBurst;
        private bool _privateBurstAnnounced;

        /// <summary>True when the badge is free to play a burst now (waking from standby if it must).</summary>
        private bool IsFree
        {
            get { return _mode == BadgeMode.Idle || _mode == BadgeMode.Standby; }
        }

        private bool IsReceiving(uint burstId)
        {
            return _mode == BadgeMode.Receiving && burstId == _receive.BurstId;
        }

        private bool IsTalking(uint burstId)
        {
            return _mode == BadgeMode.Talking && burstId == _talk.BurstId;
        }

        private void OnFrame(byte[] buffer, int length, long now)
        {
            var error = _frameIn.Read(buffer, 0, length);
            if (error != ProtocolError.None)
            {
                _observer.Event(BadgeEvent.BadMessage, 0, 0, (int)error);
                return;
            }

            var burst = _frameIn.BurstId;
            if (IsReceiving(burst))
            {
                _receive.Offer(_frameIn, now);
                return;
            }

            if (_receive.WasFinished(burst) || IsTalking(burst))
            {
                return;
            }

            if (IsFree && _unplayed.MayStart(burst))
            {
                BeginReceive(burst, _frameIn.Channel, _frameIn.RateCode, _frameIn.IsReplay, now);
                _receive.Offer(_frameIn, now);
                return;
            }

            if (!IsFree)
            {
                _unplayed.Add(burst, _frameIn.Channel);
            }
        }

        private void OnBurstStart(BurstStart start, long now)
        {
            var burst = start.BurstId;
            if (IsReceiving(burst) || _receive.WasFinished(burst) || IsTalking(burst))
            {
                return;
            }

            if (IsFree && _unplayed.MayStart(burst))
            {
                BeginReceive(burst, start.Channel, start.RateCode, (start.Flags & BurstFlags.Replay) != 0, now);
            }
            else if (!IsFree)
            {
                _unplayed.Add(burst, start.Channel);
            }
        }

        private void OnBurstEnd(BurstEnd end)
        {
            if (IsReceiving(end.BurstId))
            {
                _receive.SetFrameCount(end.FrameCount);
            }
        }

        private void OnUnplayedList(UnplayedList list)
        {
            for (var i = 0; i < list.Entries.Length; i++)
            {
                var entry = list.Entries[i];
                if (!_receive.WasFinished(entry.BurstId) && !IsReceiving(entry.BurstId))
                {
                    _unplayed.Add(entry.BurstId, entry.Channel);
                }
            }
        }

        private void BeginReceive(uint burst, byte channel, byte rateCode, bool replay, long now)
        {
            if (_mode == BadgeMode.Standby)
            {
                LeaveStandby();
            }

            _unplayed.Started(burst);
            if (_privateBurstAnnounced && burst == _privateBurst)
            {
                _indicator.PlayTone(Tone.PrivateIncoming);
                _indicator.ShowLed(LedState.PrivateReceiving);
            }
            else
            {
                _indicator.ShowLed(LedState.Receiving);
            }

            _receive.Begin(burst, channel, rateCode, replay, now);
            SetMode(BadgeMode.Receiving, now);
            PublishState(BadgeStatus.Listening);
        }

        private bool StepReceiving(long now)
        {
            var worked = _receive.Step(now);
            if (_receive.HasEnded)
            {
                if (_receive.PlayedToEnd && _active.PlaysEndTone(_receive.Channel))
                {
                    _indicator.PlayTone(Tone.EndOfBurst);
                    _observer.Event(BadgeEvent.EndTonePlayed, _receive.Channel, _receive.BurstId, 0);
                }

                _unplayed.Finished(_receive.BurstId);
                EnterIdle(now);
            }

            return worked;
        }

        /// <summary>In idle: ask for the next unplayed burst, or give up one asked for that never came. True when busy with the queue.</summary>
        private bool StepUnplayed(long now)
        {
            if (_unplayed.IsWaiting(now))
            {
                return true;
            }

            if (!_unplayed.RequestNext(now, _active.Config.Order))
            {
                return false;
            }

            _sleep.KeepAwake(now);
            return true;
        }
    }
}
