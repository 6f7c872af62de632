namespace WalkieTalkie.Badge.Messaging
{
    /// <summary>
    /// The preallocated ring between the transport's receive thread and the badge's step. <see cref="Post"/> copies a
    /// message into a free slot (or drops it when the ring is full, counting the drop); the step reads the oldest
    /// slot in place and then releases it. Nothing is allocated after construction.
    /// </summary>
    public sealed class MessageInbox
    {
        private readonly object _gate = new object();
        private readonly byte[][] _slots;
        private readonly int[] _lengths;
        private readonly InboxKind[] _kinds;
        private readonly string _audioTopic;
        private readonly string _controlTopic;
        private int _head;
        private int _count;
        private int _dropped;

        /// <param name="badgeId">Messages are accepted only on this badge's <c>down/audio</c> and <c>down/ctl</c> topics.</param>
        /// <param name="slotCount">How many messages may wait between two steps.</param>
        /// <param name="slotBytes">The longest message kept; a longer one is dropped (the protocol's maxima are 4096 for audio, 1024 for control).</param>
        public MessageInbox(string badgeId, int slotCount, int slotBytes)
        {
            _audioTopic = Protocol.Topics.DownAudio(badgeId);
            _controlTopic = Protocol.Topics.DownControl(badgeId);
            _slots = new byte[slotCount][];
            for (var i = 0; i < slotCount; i++)
            {
                _slots[i] = new byte[slotBytes];
            }

            _lengths = new int[slotCount];
            _kinds = new InboxKind[slotCount];
        }

        /// <summary>Messages dropped because the ring was full, too long, or on a topic that is not the badge's.</summary>
        public int Dropped
        {
            get { return _dropped; }
        }

        /// <summary>Messages waiting.</summary>
        public int Count
        {
            get { lock (_gate) { return _count; } }
        }

        /// <summary>
        /// Called by the transport, on any thread, for each message received on <paramref name="topic"/>. Copies the
        /// bytes; returns false when the message was dropped.
        /// </summary>
        public bool Post(string topic, byte[] payload, int offset, int length)
        {
            var kind = topic == _audioTopic ? InboxKind.Audio : (topic == _controlTopic ? InboxKind.Control : InboxKind.None);
            lock (_gate)
            {
                if (kind == InboxKind.None || payload == null || length < 0 || offset < 0 || offset > payload.Length - length
                    || length > _slots[0].Length || _count == _slots.Length)
                {
                    _dropped++;
                    return false;
                }

                var slot = (_head + _count) % _slots.Length;
                System.Array.Copy(payload, offset, _slots[slot], 0, length);
                _lengths[slot] = length;
                _kinds[slot] = kind;
                _count++;
                return true;
            }
        }

        /// <summary>The oldest message, left in place until <see cref="Release"/>; <see cref="InboxKind.None"/> when empty.</summary>
        public InboxKind Peek(out byte[] buffer, out int length)
        {
            lock (_gate)
            {
                if (_count == 0)
                {
                    buffer = null;
                    length = 0;
                    return InboxKind.None;
                }

                buffer = _slots[_head];
                length = _lengths[_head];
                return _kinds[_head];
            }
        }

        /// <summary>Frees the slot <see cref="Peek"/> returned.</summary>
        public void Release()
        {
            lock (_gate)
            {
                if (_count > 0)
                {
                    _head = (_head + 1) % _slots.Length;
                    _count--;
                }
            }
        }

        /// <summary>Forgets everything waiting (the badge restarts its session).</summary>
        public void Clear()
        {
            lock (_gate)
            {
                _head = 0;
                _count = 0;
            }
        }
    }
}
