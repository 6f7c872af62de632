using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>
    /// The listening side of the badge: the burst being played. Its frames go into the jitter buffer, one block a
    /// <see cref="Step"/> goes to the speaker; it ends when the buffer has played the last frame (then
    /// <c>played</c> goes to the gateway) or when frames stopped coming. It remembers the last bursts it finished, so
    /// their stragglers are not taken for a new burst. One per badge, reused for every burst, allocation free.
    /// </summary>
    /// <remarks>
    /// The speaker takes a block whenever it has room, so it holds part of what the jitter buffer waited for. A frame
    /// that is not here yet is therefore only concealed once the speaker has nearly run out (<c>underrunGuardMilliseconds</c>
    /// left), not as soon as the speaker has room: concealing it earlier would push the rest of the burst back by a
    /// block each time. Latency that grew anyway (a frame really late, a stall) is taken back by <see cref="LatencyTrim"/>.
    /// </remarks>
    public sealed class ReceiveSession
    {
        private readonly IAudioPlayback _playback;
        private readonly GatewayLink _link;
        private readonly IBadgeObserver _observer;
        private readonly JitterBuffer _jitter;
        private readonly SpeakerQueue _speaker = new SpeakerQueue();
        private readonly LatencyTrim _trim;
        private readonly int _underrunGuardMilliseconds;
        private readonly Played _played = new Played();
        private readonly uint[] _finishedBursts = new uint[8];
        private readonly int _timeoutMilliseconds;
        private int _finishedNext;
        private byte _channel;
        private long _lastFrameAt;
        private bool _ended;
        private bool _complete;
        private bool _replay;
        private bool _endKnown;

        /// <summary>A burst is given up <paramref name="timeoutMilliseconds"/> after its last frame when nothing is left to play.</summary>
        public ReceiveSession(IAudioPlayback playback, GatewayLink link, IBadgeObserver observer, JitterBuffer jitter, int timeoutMilliseconds)
            : this(playback, link, observer, jitter, timeoutMilliseconds,
                  BadgeOptions.DefaultUnderrunGuardMilliseconds, BadgeOptions.DefaultLatencyTrimWindowMilliseconds)
        {
        }

        /// <summary>
        /// As above; a frame not here yet is concealed once the speaker holds less than <paramref name="underrunGuardMilliseconds"/>,
        /// and latency that grew is taken back once the buffer held more than it needs for <paramref name="trimWindowMilliseconds"/>
        /// (0: never).
        /// </summary>
        public ReceiveSession(IAudioPlayback playback, GatewayLink link, IBadgeObserver observer, JitterBuffer jitter, int timeoutMilliseconds,
            int underrunGuardMilliseconds, int trimWindowMilliseconds)
        {
            _playback = playback;
            _link = link;
            _observer = observer;
            _jitter = jitter;
            _timeoutMilliseconds = timeoutMilliseconds;
            _underrunGuardMilliseconds = underrunGuardMilliseconds;
            _trim = new LatencyTrim(trimWindowMilliseconds);
        }

        /// <summary>The jitter buffer of the burst playing (or played last), with its counters.</summary>
        public JitterBuffer Jitter
        {
            get { return _jitter; }
        }

        /// <summary>The burst playing (or played last); 0 before the first.</summary>
        public uint BurstId
        {
            get { return _jitter.BurstId; }
        }

        public byte Channel
        {
            get { return _channel; }
        }

        /// <summary>True once the burst was played to its end or given up.</summary>
        public bool HasEnded
        {
            get { return _ended; }
        }

        /// <summary>True once the burst was played to its end (not given up).</summary>
        public bool PlayedToEnd
        {
            get { return _ended && _complete; }
        }

        /// <summary>
        /// True when the talker of a live burst has let go: what still plays is only the last blocks in the jitter buffer
        /// (a replay's end comes while most of it still waits, so it is never a tail).
        /// </summary>
        public bool IsLiveTail
        {
            get { return !_replay && _endKnown && !_ended; }
        }

        /// <summary>Forgets the last burst's counters (the badge restarts); the finished bursts stay remembered.</summary>
        public void Reset()
        {
            _jitter.Begin(0, SampleRate.Narrowband);
        }

        /// <summary>True when <paramref name="burstId"/> is one of the last bursts played or given up here.</summary>
        public bool WasFinished(uint burstId)
        {
            for (var i = 0; i < _finishedBursts.Length; i++)
            {
                if (_finishedBursts[i] == burstId)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Starts playing a burst: an empty jitter buffer at its rate, the speaker on.</summary>
        public void Begin(uint burstId, byte channel, byte rateCode, bool replay, long now)
        {
            _jitter.Begin(burstId, rateCode);
            _channel = channel;
            _lastFrameAt = now;
            _ended = false;
            _complete = false;
            _replay = replay;
            _endKnown = false;
            _playback.Start(SampleRate.ToHertz(rateCode));
            _speaker.Start(SampleRate.ToHertz(rateCode), now);
            _trim.Reset();
            _observer.Event(BadgeEvent.ReceiveStarted, channel, burstId, replay ? 1 : 0);
        }

        /// <summary>A frame of the burst playing.</summary>
        public void Offer(AudioFrame frame, long now)
        {
            _lastFrameAt = now;
            _jitter.Offer(frame);
        }

        /// <summary>The gateway told how many frames the burst has: the buffer knows its end.</summary>
        public void SetFrameCount(int frameCount)
        {
            _jitter.SetFrameCount(frameCount);
            _endKnown = true;
        }

        /// <summary>
        /// The listener answers while a live burst's tail still plays: the tail stops and the burst counts as heard (all
        /// but its last blocks were), so it is not played again later.
        /// </summary>
        public void FinishTail()
        {
            End(true);
        }

        /// <summary>
        /// Hands the speaker its next block when it has room, or ends the burst when it is over. Returns true when
        /// it did either.
        /// </summary>
        public bool Step(long now)
        {
            if (_jitter.IsFinished)
            {
                End(true);
                return true;
            }

            if (!_jitter.HasBuffered && now - _lastFrameAt >= _timeoutMilliseconds)
            {
                End(false);
                return true;
            }

            var held = _speaker.Held(now);
            if (_jitter.IsPlaying && !_replay)
            {
                // A recording is sent ahead of its pace and nobody waits on it: what it holds is not latency to take back.
                _trim.Observe(now, held + _jitter.BufferedSamples, _jitter.TargetSamples, _jitter.FrameSamples, _jitter.BlockSamples);
            }
            else
            {
                _trim.Reset();
            }

            if (!_playback.CanWrite)
            {
                return false;
            }

            if (_jitter.IsNextMissing && held > _speaker.SamplesFor(_underrunGuardMilliseconds))
            {
                return false; // the frame may still come before the speaker runs out
            }

            int samples;
            var drop = _trim.ForNextBlock();
            var result = _jitter.PullShortened(drop, out samples);
            if (samples <= 0)
            {
                return false;
            }

            _playback.Write(_jitter.Output, 0, samples);
            _speaker.Wrote(samples, now);
            if (result == PullResult.Shortened)
            {
                _trim.Took(drop);
            }

            if (result == PullResult.Played || result == PullResult.Shortened)
            {
                _observer.BlockPlayed(_jitter.BurstId, _jitter.LastSequence, _jitter.LastBlockIndex, result);
            }
            else
            {
                _observer.BlockPlayed(_jitter.BurstId, -1, -1, result);
            }

            return true;
        }

        /// <summary>The connection is gone: the speaker stops; the burst is not finished (it can be asked for again).</summary>
        public void Abort()
        {
            _playback.Stop();
        }

        private void End(bool complete)
        {
            var burst = _jitter.BurstId;
            _playback.Stop();
            _finishedBursts[_finishedNext] = burst;
            _finishedNext = (_finishedNext + 1) % _finishedBursts.Length;
            if (complete)
            {
                _played.BurstId = burst;
                _link.PublishControl(_played);
                _observer.Event(BadgeEvent.PlayedSent, _channel, burst, 0);
            }

            _observer.Event(complete ? BadgeEvent.ReceiveEnded : BadgeEvent.ReceiveAbandoned, _channel, burst, _jitter.Played);
            _complete = complete;
            _ended = true;
        }
    }
}
