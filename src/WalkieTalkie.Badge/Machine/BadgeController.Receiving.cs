using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    // Listening: frames into the jitter buffer, blocks out to the speaker; the unplayed queue.
    public sealed partial class BadgeController
    {
        private byte _receivingChannel;
        private long _lastFrameAt;
        private uint _requestedBurst;
        private long _requestedAt;

        /// <summary>True when the badge is free to play a burst now (waking from standby if it must).</summary>
        private bool IsFree
        {
            get { return _mode == BadgeMode.Idle || _mode == BadgeMode.Standby; }
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
            if (_mode == BadgeMode.Receiving && burst == _jitter.BurstId)
            {
                _lastFrameAt = now;
                _jitter.Offer(_frameIn);
                return;
            }

            if (WasFinished(burst) || (_mode == BadgeMode.Talking && burst == _talkBurst))
            {
                return;
            }

            if (IsFree && (burst == _requestedBurst || !_unplayed.Contains(burst)))
            {
                BeginReceive(burst, _frameIn.Channel, _frameIn.RateCode, _frameIn.IsReplay, now);
                _lastFrameAt = now;
                _jitter.Offer(_frameIn);
                return;
            }

            if (!IsFree)
            {
                Queue(burst, _frameIn.Channel);
            }
        }

        private void OnBurstStart(BurstStart start, long now)
        {
            var burst = start.BurstId;
            if ((_mode == BadgeMode.Receiving && burst == _jitter.BurstId) || WasFinished(burst)
                || (_mode == BadgeMode.Talking && burst == _talkBurst))
            {
                return;
            }

            if (IsFree && (burst == _requestedBurst || !_unplayed.Contains(burst)))
            {
                BeginReceive(burst, start.Channel, start.RateCode, (start.Flags & BurstFlags.Replay) != 0, now);
            }
            else if (!IsFree)
            {
                Queue(burst, start.Channel);
            }
        }

        private void OnBurstEnd(BurstEnd end)
        {
            if (_mode == BadgeMode.Receiving && end.BurstId == _jitter.BurstId)
            {
                _jitter.SetFrameCount(end.FrameCount);
            }
        }

        private void Queue(uint burst, byte channel)
        {
            if (_unplayed.Contains(burst))
            {
                return;
            }

            _unplayed.Add(burst, channel);
            _observer.Event(BadgeEvent.Queued, channel, burst, _unplayed.Count);
        }

        private void BeginReceive(uint burst, byte channel, byte rateCode, bool replay, long now)
        {
            if (_mode == BadgeMode.Standby)
            {
                LeaveStandby();
            }

            if (burst != _requestedBurst)
            {
                // What we asked for stays queued and is asked for again afterwards.
                _requestedBurst = 0;
            }

            _jitter.Begin(burst, rateCode);
            _receivingChannel = channel;
            _lastFrameAt = now;
            _playback.Start(SampleRate.ToHertz(rateCode));
            _indicator.ShowLed(LedState.Receiving);
            _observer.Event(BadgeEvent.ReceiveStarted, channel, burst, replay ? 1 : 0);
            SetMode(BadgeMode.Receiving, now);
            PublishState(BadgeStatus.Listening);
        }

        private bool StepReceiving(long now)
        {
            if (_jitter.IsFinished)
            {
                EndReceive(now, true);
                return true;
            }

            if (!_jitter.HasBuffered && now - _lastFrameAt >= _options.ReceiveTimeoutMilliseconds)
            {
                EndReceive(now, false);
                return true;
            }

            if (!_playback.CanWrite)
            {
                return false;
            }

            int samples;
            var result = _jitter.Pull(out samples);
            if (samples <= 0)
            {
                return false;
            }

            _playback.Write(_jitter.Output, 0, samples);
            if (result == PullResult.Played)
            {
                _observer.BlockPlayed(_jitter.BurstId, _jitter.LastSequence, _jitter.LastBlockIndex, result);
            }
            else
            {
                _observer.BlockPlayed(_jitter.BurstId, -1, -1, result);
            }

            return true;
        }

        private void EndReceive(long now, bool complete)
        {
            var burst = _jitter.BurstId;
            _playback.Stop();
            MarkFinished(burst);
            _unplayed.Remove(burst);
            if (burst == _requestedBurst)
            {
                _requestedBurst = 0;
            }

            if (complete)
            {
                _played.BurstId = burst;
                Publish(_played);
                _observer.Event(BadgeEvent.PlayedSent, _receivingChannel, burst, 0);
            }

            _observer.Event(complete ? BadgeEvent.ReceiveEnded : BadgeEvent.ReceiveAbandoned, _receivingChannel, burst, _jitter.Played);
            EnterIdle(now);
        }

        /// <summary>In idle: ask for the next unplayed burst, or give up one asked for that never came. True when busy with the queue.</summary>
        private bool StepUnplayed(long now)
        {
            if (_requestedBurst != 0)
            {
                if (now - _requestedAt < _options.PlayRequestTimeoutMilliseconds)
                {
                    return true;
                }

                // The gateway has nothing for it (expired, or already heard elsewhere): drop it.
                _unplayed.Remove(_requestedBurst);
                _requestedBurst = 0;
            }

            var next = _unplayed.Next(_config.Order);
            if (next == 0)
            {
                return false;
            }

            _requestedBurst = next;
            _requestedAt = now;
            _playRequest.BurstId = next;
            Publish(_playRequest);
            _observer.Event(BadgeEvent.PlayRequested, _unplayed.ChannelOf(next), next, _unplayed.Count);
            _idleSince = now;
            return true;
        }
    }
}
