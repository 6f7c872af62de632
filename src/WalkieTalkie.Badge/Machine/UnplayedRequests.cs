using WalkieTalkie.Badge.Playback;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>
    /// Catching up on bursts the wearer missed: they wait in the unplayed queue, and when the badge is idle it asks
    /// the gateway for them one at a time with <c>play-request</c>. One asked for that does not come in time is
    /// given up (the gateway has nothing for it: expired, or already heard elsewhere) and the next is asked for.
    /// </summary>
    public sealed class UnplayedRequests
    {
        private readonly UnplayedQueue _queue;
        private readonly GatewayLink _link;
        private readonly IBadgeObserver _observer;
        private readonly PlayRequest _playRequest = new PlayRequest();
        private readonly int _timeoutMilliseconds;
        private uint _requested;
        private long _requestedAt;

        /// <summary>A requested burst that has not started <paramref name="timeoutMilliseconds"/> after the request is given up.</summary>
        public UnplayedRequests(UnplayedQueue queue, GatewayLink link, IBadgeObserver observer, int timeoutMilliseconds)
        {
            _queue = queue;
            _link = link;
            _observer = observer;
            _timeoutMilliseconds = timeoutMilliseconds;
        }

        public UnplayedQueue Queue
        {
            get { return _queue; }
        }

        /// <summary>The burst asked for and not yet started, or 0.</summary>
        public uint Requested
        {
            get { return _requested; }
        }

        /// <summary>True when a free badge may play <paramref name="burstId"/> now: it is the one asked for, or not queued behind others.</summary>
        public bool MayStart(uint burstId)
        {
            return burstId == _requested || !_queue.Contains(burstId);
        }

        /// <summary>A burst the badge cannot play now: it waits its turn.</summary>
        public void Add(uint burstId, byte channel)
        {
            if (_queue.Contains(burstId))
            {
                return;
            }

            _queue.Add(burstId, channel);
            _observer.Event(BadgeEvent.Queued, channel, burstId, _queue.Count);
        }

        /// <summary>A burst cut off by a lost connection: the gateway keeps it, so it is asked for again once back.</summary>
        public void PutBack(uint burstId, byte channel)
        {
            _queue.Add(burstId, channel);
            _requested = 0;
        }

        /// <summary>A burst started playing; when it is not the one asked for, that one stays queued and is asked for again afterwards.</summary>
        public void Started(uint burstId)
        {
            if (burstId != _requested)
            {
                _requested = 0;
            }
        }

        /// <summary>A burst was played or given up: it no longer waits.</summary>
        public void Finished(uint burstId)
        {
            _queue.Remove(burstId);
            if (burstId == _requested)
            {
                _requested = 0;
            }
        }

        /// <summary>True while a requested burst may still come; one that did not come in time is dropped from the queue.</summary>
        public bool IsWaiting(long now)
        {
            if (_requested == 0)
            {
                return false;
            }

            if (now - _requestedAt < _timeoutMilliseconds)
            {
                return true;
            }

            _queue.Remove(_requested);
            _requested = 0;
            return false;
        }

        /// <summary>Asks for the next queued burst in <paramref name="order"/>; false when none waits.</summary>
        public bool RequestNext(long now, PlaybackOrder order)
        {
            var next = _queue.Next(order);
            if (next == 0)
            {
                return false;
            }

            _requested = next;
            _requestedAt = now;
            _playRequest.BurstId = next;
            _link.PublishControl(_playRequest);
            _observer.Event(BadgeEvent.PlayRequested, _queue.ChannelOf(next), next, _queue.Count);
            return true;
        }
    }
}
