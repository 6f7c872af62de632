using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>
    /// The talking side of the badge: the floor request, then the burst it was granted: capture, encode, frame, send,
    /// and the closing <c>floor-release</c>. One per badge, reused for every burst; one <see cref="Step"/> handles at
    /// most one captured block and allocates nothing. The controller decides when (modes, buttons, tones, LED).
    /// </summary>
    public sealed class TalkSession
    {
        private readonly IAudioCapture _capture;
        private readonly GatewayLink _link;
        private readonly IBadgeObserver _observer;
        private readonly ImaAdpcmEncoder _encoder = new ImaAdpcmEncoder();
        private readonly FloorRequest _request = new FloorRequest();
        private readonly ReplyRequest _replyRequest = new ReplyRequest();
        private readonly FloorRelease _release = new FloorRelease();
        private readonly short[] _pcm;
        private readonly byte[] _frame;
        private readonly int _samplesPerBlock;
        private readonly int _blockBytes;
        private uint _burstId;
        private byte _channel;
        private byte _rateCode;
        private int _blocksPerFrame;
        private long _grantedAt;
        private long _endsAt;
        private ushort _sequence;
        private int _blocksInFrame;
        private bool _finishing;
        private bool _ended;

        public TalkSession(IAudioCapture capture, GatewayLink link, IBadgeObserver observer, int samplesPerBlock)
        {
            _capture = capture;
            _link = link;
            _observer = observer;
            _samplesPerBlock = samplesPerBlock;
            _blockBytes = ImaAdpcm.BlockBytesFor(samplesPerBlock);
            _pcm = new short[samplesPerBlock];
            _frame = new byte[AudioFrame.LengthFor(AudioFrame.MaxBlocks, _blockBytes)];
        }

        /// <summary>The channel of the last floor request.</summary>
        public byte RequestedChannel
        {
            get { return _request.Channel; }
        }

        /// <summary>True when the last request was a private reply (answered by <c>reply-granted</c>, not <c>floor-granted</c>).</summary>
        public bool IsPrivate { get; private set; }

        /// <summary>The burst being (or last) sent.</summary>
        public uint BurstId
        {
            get { return _burstId; }
        }

        public byte Channel
        {
            get { return _channel; }
        }

        /// <summary>True once the next captured block is to close the burst (push-to-talk up, or out of time).</summary>
        public bool IsFinishing
        {
            get { return _finishing; }
        }

        /// <summary>True once the last frame and the <c>floor-release</c> went out.</summary>
        public bool HasEnded
        {
            get { return _ended; }
        }

        /// <summary>Frames sent in the current or last burst.</summary>
        public int FramesSent { get; private set; }

        /// <summary>Frames sent in every burst since the badge was made.</summary>
        public int TotalFramesSent { get; private set; }

        /// <summary>Asks the gateway for the floor on <paramref name="channel"/>.</summary>
        public void Request(byte channel, bool emergency)
        {
            _request.Channel = channel;
            _request.Flags = emergency ? FloorRequest.EmergencyFlag : (byte)0;
            IsPrivate = false;
            _link.PublishControl(_request);
            _observer.Event(BadgeEvent.FloorRequested, channel, 0, emergency ? 1 : 0);
        }

        /// <summary>Asks the gateway for a private burst to the last talker heard on <paramref name="channel"/>.</summary>
        public void RequestReply(byte channel)
        {
            _request.Channel = channel;
            _replyRequest.Channel = channel;
            IsPrivate = true;
            _link.PublishControl(_replyRequest);
            _observer.Event(BadgeEvent.ReplyRequested, channel, 0, 0);
        }

        /// <summary>Gives back a grant nobody waits for any more (push-to-talk came up, or the answer came too late).</summary>
        public void HandBack(FloorGranted granted)
        {
            _release.Channel = granted.Channel;
            _release.BurstId = granted.BurstId;
            _release.FrameCount = 0;
            _link.PublishControl(_release);
        }

        /// <summary>
        /// Starts the granted burst: capture at the channel's rate, <paramref name="blocksPerFrame"/> blocks a frame.
        /// It ends by <paramref name="maxTalkSeconds"/> (the badge's limit) or the grant's limit, whichever is
        /// sooner; when push-to-talk is no longer <paramref name="held"/> the first block closes it.
        /// </summary>
        public void Begin(FloorGranted granted, byte rateCode, int blocksPerFrame, int maxTalkSeconds, bool held, long now)
        {
            _burstId = granted.BurstId;
            _channel = granted.Channel;
            _rateCode = rateCode;
            _blocksPerFrame = blocksPerFrame;
            var seconds = granted.MaxTalkSeconds < maxTalkSeconds ? granted.MaxTalkSeconds : maxTalkSeconds;

            // Stop one frame early so the last frame reaches the gateway before its own limit.
            var frameMilliseconds = blocksPerFrame * _samplesPerBlock * 1000 / SampleRate.ToHertz(rateCode);
            _grantedAt = now;
            _endsAt = now + seconds * 1000L - frameMilliseconds;
            _sequence = 0;
            _blocksInFrame = 0;
            _finishing = !held;
            _ended = false;
            FramesSent = 0;
            _encoder.Reset();
            _capture.Start(SampleRate.ToHertz(rateCode));
            _observer.Event(BadgeEvent.FloorGranted, _channel, _burstId, granted.MaxTalkSeconds);
        }

        /// <summary>Push-to-talk came up: the next captured block closes the burst.</summary>
        public void Release()
        {
            _finishing = true;
        }

        /// <summary>True once, when the maximum talk time is reached: the next captured block closes the burst.</summary>
        public bool ReachMaxTalkTime(long now)
        {
            if (_finishing || now < _endsAt)
            {
                return false;
            }

            _finishing = true;
            _observer.Event(BadgeEvent.MaxTalkTime, _channel, _burstId, (int)(now - _grantedAt));
            return true;
        }

        /// <summary>
        /// Takes one captured block, if the microphone has one, into the frame; sends the frame when it is full or
        /// the burst is finishing, and then closes the burst. Returns false when no block was ready.
        /// </summary>
        public bool Step()
        {
            if (!_capture.Read(_pcm, 0, _samplesPerBlock))
            {
                return false;
            }

            var offset = AudioFrame.HeaderLength + _blocksInFrame * _blockBytes;
            _encoder.EncodeBlock(_pcm, 0, _samplesPerBlock, _frame, offset);
            _observer.BlockCaptured(_burstId, _sequence, _blocksInFrame);
            _blocksInFrame++;
            if (_blocksInFrame == _blocksPerFrame || _finishing)
            {
                SendFrame(_finishing);
            }

            if (_finishing)
            {
                _capture.Stop();
                _release.Channel = _channel;
                _release.BurstId = _burstId;
                _release.FrameCount = (ushort)FramesSent;
                _link.PublishControl(_release);
                _observer.Event(BadgeEvent.TalkEnded, _channel, _burstId, FramesSent);
                _ended = true;
            }

            return true;
        }

        /// <summary>The gateway took the floor back: capture stops at once, no <c>floor-release</c> (the gateway ended the burst).</summary>
        public void Revoke(EndReason reason)
        {
            _capture.Stop();
            _observer.Event(BadgeEvent.FloorRevoked, _channel, _burstId, (int)reason);
        }

        /// <summary>The connection is gone: capture stops; the gateway ends the burst on its own.</summary>
        public void Abort()
        {
            _capture.Stop();
        }

        private void SendFrame(bool last)
        {
            var flags = (byte)((_sequence == 0 ? FrameFlags.First : 0) | (last ? FrameFlags.Last : 0));
            var length = AudioFrame.WriteHeader(_frame, 0, _channel, flags, _burstId, _sequence, _rateCode,
                _blocksInFrame, _blockBytes);
            _link.PublishAudio(_frame, length);
            _observer.Event(BadgeEvent.FrameSent, _channel, _burstId, _sequence);
            _sequence++;
            _blocksInFrame = 0;
            FramesSent++;
            TotalFramesSent++;
        }
    }
}
