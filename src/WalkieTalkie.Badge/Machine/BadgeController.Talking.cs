using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Machine
{
    // Push-to-talk: request, grant or refusal, capture, encode, send, release.
    public sealed partial class BadgeController
    {
        private uint _talkBurst;
        private byte _talkChannel;
        private byte _talkRate;
        private int _talkBlocksPerFrame;
        private long _talkEndsAt;
        private ushort _sequence;
        private int _blocksInFrame;
        private bool _finishing;

        private void RequestFloor(long now, bool emergency)
        {
            var channel = SelectedChannel;
            if (channel < 0)
            {
                // No configuration yet: nothing to talk on.
                _indicator.PlayTone(Tone.Busy);
                return;
            }

            _floorRequest.Channel = (byte)channel;
            _floorRequest.Flags = emergency ? FloorRequest.EmergencyFlag : (byte)0;
            Publish(_floorRequest);
            _indicator.ShowLed(LedState.Requesting);
            _observer.Event(BadgeEvent.FloorRequested, (byte)channel, 0, emergency ? 1 : 0);
            SetMode(BadgeMode.Requesting, now);
        }

        private void OnGranted(FloorGranted granted, long now)
        {
            if (_mode != BadgeMode.Requesting || granted.Channel != _floorRequest.Channel)
            {
                // A grant nobody waits for any more (push-to-talk came up, or the answer came too late): hand it back.
                _floorRelease.Channel = granted.Channel;
                _floorRelease.BurstId = granted.BurstId;
                _floorRelease.FrameCount = 0;
                Publish(_floorRelease);
                return;
            }

            _talkBurst = granted.BurstId;
            _talkChannel = granted.Channel;
            _talkRate = (byte)RateCodeOf(granted.Channel);
            _talkBlocksPerFrame = BlocksPerFrame;
            var seconds = _config.MaxTalkSeconds == 0 ? _options.DefaultMaxTalkSeconds : _config.MaxTalkSeconds;
            if (granted.MaxTalkSeconds < seconds)
            {
                seconds = granted.MaxTalkSeconds;
            }

            // Stop one frame early so the last frame reaches the gateway before its own limit.
            var frameMilliseconds = _talkBlocksPerFrame * _options.SamplesPerBlock * 1000 / SampleRate.ToHertz(_talkRate);
            _talkEndsAt = now + seconds * 1000L - frameMilliseconds;
            _sequence = 0;
            _blocksInFrame = 0;
            _finishing = !_talkButton.IsDown;
            FramesSent = 0;
            _encoder.Reset();
            _indicator.PlayTone(Tone.Talk);
            _indicator.ShowLed(LedState.Talking);
            _capture.Start(SampleRate.ToHertz(_talkRate));
            _observer.Event(BadgeEvent.FloorGranted, _talkChannel, _talkBurst, granted.MaxTalkSeconds);
            SetMode(BadgeMode.Talking, now);
            PublishState(BadgeStatus.Talking);
        }

        private void OnDenied(FloorDenied denied, long now)
        {
            if (_mode != BadgeMode.Requesting || denied.Channel != _floorRequest.Channel)
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
            if (_mode != BadgeMode.Talking || revoked.BurstId != _talkBurst)
            {
                return;
            }

            _capture.Stop();
            _indicator.PlayTone(revoked.Reason == EndReason.Collision ? Tone.Collision : Tone.Preempted);
            _indicator.ShowLed(LedState.Busy);
            _observer.Event(BadgeEvent.FloorRevoked, _talkChannel, _talkBurst, (int)revoked.Reason);
            SetMode(BadgeMode.Revoked, now);
            PublishState(BadgeStatus.Idle);
        }

        /// <summary>Push-to-talk came up: the next captured block closes the burst.</summary>
        private void ReleaseTalk()
        {
            _finishing = true;
        }

        private bool StepTalking(long now)
        {
            if (!_finishing && now >= _talkEndsAt)
            {
                _finishing = true;
                _indicator.PlayTone(Tone.Preempted);
                _observer.Event(BadgeEvent.MaxTalkTime, _talkChannel, _talkBurst, (int)(now - _modeSince));
            }

            var samples = _options.SamplesPerBlock;
            if (!_capture.Read(_pcm, 0, samples))
            {
                return false;
            }

            var offset = AudioFrame.HeaderLength + _blocksInFrame * _blockBytes;
            _encoder.EncodeBlock(_pcm, 0, samples, _frameOut, offset);
            _observer.BlockCaptured(_talkBurst, _sequence, _blocksInFrame);
            _blocksInFrame++;
            if (_blocksInFrame == _talkBlocksPerFrame || _finishing)
            {
                SendFrame(_finishing);
            }

            if (_finishing)
            {
                _capture.Stop();
                _floorRelease.Channel = _talkChannel;
                _floorRelease.BurstId = _talkBurst;
                _floorRelease.FrameCount = (ushort)FramesSent;
                Publish(_floorRelease);
                _observer.Event(BadgeEvent.TalkEnded, _talkChannel, _talkBurst, FramesSent);
                if (_talkButton.IsDown)
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

        private void SendFrame(bool last)
        {
            var flags = (byte)((_sequence == 0 ? FrameFlags.First : 0) | (last ? FrameFlags.Last : 0));
            var length = AudioFrame.WriteHeader(_frameOut, 0, _talkChannel, flags, _talkBurst, _sequence, _talkRate,
                _blocksInFrame, _blockBytes);
            _transport.Publish(_upAudio, _frameOut, length, 0, false);
            _observer.Event(BadgeEvent.FrameSent, _talkChannel, _talkBurst, _sequence);
            _sequence++;
            _blocksInFrame = 0;
            FramesSent++;
            TotalFramesSent++;
        }
    }
}
