using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Playback
{
    /// <summary>
    /// Bursts the wearer has not heard: they arrived while the badge was talking, playing another burst or asleep
    /// (then the gateway lists them in <c>unplayed-list</c>). When the badge is free it asks for them one by one
    /// with <c>play-request</c>, in the order the configuration chooses. Fixed capacity, no allocation.
    /// </summary>
    public sealed class UnplayedQueue
    {
        private readonly uint[] _burstIds;
        private readonly byte[] _channels;
        private readonly long[] _arrival;
        private int _count;
        private long _arrivals;

        public UnplayedQueue(int capacity)
        {
            _burstIds = new uint[capacity];
            _channels = new byte[capacity];
            _arrival = new long[capacity];
        }

        public int Count
        {
            get { return _count; }
        }

        /// <summary>Bursts dropped because the queue was full (the oldest goes).</summary>
        public int Overflowed { get; private set; }

        /// <summary>True when <paramref name="burstId"/> waits.</summary>
        public bool Contains(uint burstId)
        {
            return IndexOf(burstId) >= 0;
        }

        /// <summary>Adds a burst heard of now (newer than everything queued); a burst already queued stays where it is.</summary>
        public void Add(uint burstId, byte channel)
        {
            if (burstId == 0 || IndexOf(burstId) >= 0)
            {
                return;
            }

            if (_count == _burstIds.Length)
            {
                RemoveAt(OldestIndex());
                Overflowed++;
            }

            _burstIds[_count] = burstId;
            _channels[_count] = channel;
            _arrival[_count] = ++_arrivals;
            _count++;
        }

        /// <summary>Adds the entries of an <c>unplayed-list</c> (oldest first, as the gateway sends them).</summary>
        public void AddAll(UnplayedEntry[] entries)
        {
            for (var i = 0; i < entries.Length; i++)
            {
                Add(entries[i].BurstId, entries[i].Channel);
            }
        }

        public void Remove(uint burstId)
        {
            var index = IndexOf(burstId);
            if (index >= 0)
            {
                RemoveAt(index);
            }
        }

        public void Clear()
        {
            _count = 0;
        }

        /// <summary>The burst to play next under <paramref name="order"/>, or 0 when the queue is empty.</summary>
        public uint Next(PlaybackOrder order)
        {
            if (_count == 0)
            {
                return 0;
            }

            if (order == PlaybackOrder.InOrder)
            {
                return _burstIds[OldestIndex()];
            }

            // The channel whose latest burst is the newest, then that channel's oldest burst.
            var newest = 0;
            for (var i = 1; i < _count; i++)
            {
                if (_arrival[i] > _arrival[newest])
                {
                    newest = i;
                }
            }

            var channel = _channels[newest];
            var pick = -1;
            for (var i = 0; i < _count; i++)
            {
                if (_channels[i] == channel && (pick < 0 || _arrival[i] < _arrival[pick]))
                {
                    pick = i;
                }
            }

            return _burstIds[pick];
        }

        /// <summary>The channel of a queued burst (0 when it is not queued).</summary>
        public byte ChannelOf(uint burstId)
        {
            var index = IndexOf(burstId);
            return index < 0 ? (byte)0 : _channels[index];
        }

        private int OldestIndex()
        {
            var oldest = 0;
            for (var i = 1; i < _count; i++)
            {
                if (_arrival[i] < _arrival[oldest])
                {
                    oldest = i;
                }
            }

            return oldest;
        }

        private int IndexOf(uint burstId)
        {
            for (var i = 0; i < _count; i++)
            {
                if (_burstIds[i] == burstId)
                {
                    return i;
                }
            }

            return -1;
        }

        private void RemoveAt(int index)
        {
            _count--;
            _burstIds[index] = _burstIds[_count];
            _channels[index] = _channels[_count];
            _arrival[index] = _arrival[_count];
        }
    }
}
