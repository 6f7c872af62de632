using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Audio
{
    /// <summary>
    /// The receive side of one burst: frames go in as they arrive (in any order, some twice, some never), blocks
    /// come out one per playing period, in sequence order, each at most once.
    /// </summary>
    /// <remarks>
    /// Frames are kept in a window of <c>slotCount</c> frames starting at the next frame to play. Playing starts once
    /// <c>prefill</c> frames wait (or the burst's end is known). A frame behind the play point is late or a duplicate;
    /// one beyond the window pushes the play point forward, giving up the frames skipped. When the next frame is
    /// missing but a later one is here (or the burst's end is known), the missing frame is lost: its first block is
    /// concealed by repeating the last block at half amplitude, the others are silence. When nothing at all is
    /// here, the buffer has run dry: it plays one concealed block then silence and fills up to the prefill again
    /// before going on, so a frame that is merely slow is still played. <see cref="PullShortened"/> plays a received
    /// block a little shorter, to bring latency back down (<see cref="LatencyTrim"/> says when and by how much).
    /// Everything is preallocated.
    /// </remarks>
    public sealed class JitterBuffer
    {
        private readonly byte[][] _data;
        private readonly bool[] _filled;
        private readonly int[] _sequence;
        private readonly int[] _blockCount;
        private readonly int[] _blockBytes;
        private readonly short[][] _output;
        private readonly int _prefill;
        private int _current;
        private int _lastSamples;
        private int _buffered;
        private int _nextSequence;
        private int _nextBlock;
        private int _finalSequence;
        private int _gapBlocks;
        private int _missingRun;
        private int _blocksPerFrame;
        private int _blockSamples;
        private bool _started;
        private ulong _history;

        /// <param name="slotCount">The reorder window in frames.</param>
        /// <param name="slotBytes">The most block bytes one frame may carry (blocks per frame times block length).</param>
        /// <param name="maxSamplesPerBlock">The longest block, in samples, that will be decoded.</param>
        /// <param name="prefill">Frames to wait for before playing starts.</param>
        public JitterBuffer(int slotCount, int slotBytes, int maxSamplesPerBlock, int prefill)
        {
            _data = new byte[slotCount][];
            for (var i = 0; i < slotCount; i++)
            {
                _data[i] = new byte[slotBytes];
            }

            _filled = new bool[slotCount];
            _sequence = new int[slotCount];
            _blockCount = new int[slotCount];
            _blockBytes = new int[slotCount];
            _output = new short[2][];
            _output[0] = new short[maxSamplesPerBlock];
            _output[1] = new short[maxSamplesPerBlock];
            _prefill = prefill < 1 ? 1 : (prefill > slotCount ? slotCount : prefill);
            Begin(0, SampleRate.Narrowband);
        }

        public uint BurstId { get; private set; }

        public byte RateCode { get; private set; }

        /// <summary>Frames accepted.</summary>
        public int Received { get; private set; }

        /// <summary>Blocks played from received frames.</summary>
        public int Played { get; private set; }

        /// <summary>Frames that arrived after their play time.</summary>
        public int Late { get; private set; }

        /// <summary>Frames received a second time.</summary>
        public int Duplicate { get; private set; }

        /// <summary>Frames given up without being received.</summary>
        public int Lost { get; private set; }

        /// <summary>Blocks filled by repeating the previous block.</summary>
        public int Concealed { get; private set; }

        /// <summary>Blocks of silence played for missing audio.</summary>
        public int Silent { get; private set; }

        /// <summary>Received frames given up unplayed because a frame far ahead moved the window past them.</summary>
        public int Skipped { get; private set; }

        /// <summary>Times the buffer ran dry and filled up again.</summary>
        public int Underruns { get; private set; }

        /// <summary>Received blocks played shorter, to take back latency (each counts in <see cref="Played"/> too).</summary>
        public int Shortened { get; private set; }

        /// <summary>Frames that could not be stored (wrong burst or rate, too large) or decoded.</summary>
        public int Rejected { get; private set; }

        /// <summary>The sequence number of the block <see cref="Pull"/> produced last, and its index in its frame.</summary>
        public int LastSequence { get; private set; }

        public int LastBlockIndex { get; private set; }

        /// <summary>The samples <see cref="Pull"/> produced last (valid until the next pull).</summary>
        public short[] Output
        {
            get { return _output[_current]; }
        }

        /// <summary>True once the burst's last frame has been played (or given up).</summary>
        public bool IsFinished
        {
            get { return _finalSequence >= 0 && _nextSequence > _finalSequence && _gapBlocks == 0; }
        }

        /// <summary>True when a frame with a sequence number at or after the play point waits.</summary>
        public bool HasBuffered
        {
            get { return _buffered > 0; }
        }

        /// <summary>True once the prefill was reached and until the buffer runs dry.</summary>
        public bool IsPlaying
        {
            get { return _started && !IsFinished; }
        }

        /// <summary>
        /// True while playing when the next frame is not here: the next pull conceals it (lost, or the buffer is dry).
        /// Until the speaker runs out, the frame may still come.
        /// </summary>
        public bool IsNextMissing
        {
            get { return IsPlaying && _gapBlocks == 0 && !IsStored(_nextSequence); }
        }

        /// <summary>Samples still to play from what is here: the frames waiting and the gap being filled.</summary>
        public int BufferedSamples
        {
            get
            {
                var blocks = _gapBlocks;
                for (var i = 0; i < _filled.Length; i++)
                {
                    if (_filled[i])
                    {
                        blocks += _blockCount[i];
                    }
                }

                if (IsStored(_nextSequence))
                {
                    blocks -= _nextBlock;
                }

                return blocks * _blockSamples;
            }
        }

        /// <summary>
        /// The lowest lead to expect while playing steadily: the prefill less the frame about to arrive, in samples.
        /// Below it a frame is late; above it for long, latency has grown.
        /// </summary>
        public int TargetSamples
        {
            get { return (_prefill - 1) * _blocksPerFrame * _blockSamples; }
        }

        /// <summary>The audio of one full frame of this burst in samples (0 before its first frame).</summary>
        public int FrameSamples
        {
            get { return _blocksPerFrame * _blockSamples; }
        }

        /// <summary>The length of a block of this burst in samples (0 before its first frame).</summary>
        public int BlockSamples
        {
            get { return _blockSamples; }
        }

        /// <summary>Starts a new burst: forgets every frame and zeroes the counters.</summary>
        public void Begin(uint burstId, byte rateCode)
        {
            BurstId = burstId;
            RateCode = rateCode;
            for (var i = 0; i < _filled.Length; i++)
            {
                _filled[i] = false;
            }

            _buffered = 0;
            _nextSequence = 0;
            _nextBlock = 0;
            _finalSequence = -1;
            _gapBlocks = 0;
            _missingRun = 0;
            _blocksPerFrame = 1;
            _lastSamples = 0;
            _blockSamples = 0;
            _started = false;
            _history = 0;
            Received = 0;
            Played = 0;
            Late = 0;
            Duplicate = 0;
            Lost = 0;
            Concealed = 0;
            Silent = 0;
            Underruns = 0;
            Shortened = 0;
            Skipped = 0;
            Rejected = 0;
            LastSequence = -1;
            LastBlockIndex = -1;
        }

        /// <summary>The burst has <paramref name="frameCount"/> frames (from <c>burst-end</c>).</summary>
        public void SetFrameCount(int frameCount)
        {
            if (_finalSequence < 0 || frameCount - 1 < _finalSequence)
            {
                _finalSequence = frameCount - 1;
            }
        }

        /// <summary>Stores a frame of this burst (it must have been read into <paramref name="frame"/> just before).</summary>
        public OfferResult Offer(AudioFrame frame)
        {
            var bytes = frame.BlocksLength;
            if (frame.BurstId != BurstId || frame.RateCode != RateCode || bytes > _data[0].Length
                || frame.SamplesPerBlock > _output[0].Length)
            {
                Rejected++;
                return OfferResult.Rejected;
            }

            // Sequence numbers are 16 bits on the wire; they are unwrapped around the play point.
            var sequence = _nextSequence + (short)(ushort)(frame.Sequence - (ushort)_nextSequence);
            var ahead = sequence - _nextSequence;
            if (ahead < 0)
            {
                var back = -ahead - 1;
                if (back >= 0 && back < 64 && (_history & (1UL << back)) != 0)
                {
                    Duplicate++;
                    return OfferResult.Duplicate;
                }

                Late++;
                return OfferResult.Late;
            }

            if (IsStored(sequence))
            {
                Duplicate++;
                return OfferResult.Duplicate;
            }

            if (ahead >= _filled.Length)
            {
                SkipTo(sequence - _filled.Length + 1);
            }

            var slot = sequence % _filled.Length;
            System.Array.Copy(frame.Buffer, frame.BlocksOffset, _data[slot], 0, bytes);
            _filled[slot] = true;
            _sequence[slot] = sequence;
            _blockCount[slot] = frame.BlockCount;
            _blockBytes[slot] = frame.BlockBytes;
            _buffered++;
            Received++;
            _blockSamples = frame.SamplesPerBlock;
            if (!frame.IsLast && frame.BlockCount > _blocksPerFrame)
            {
                _blocksPerFrame = frame.BlockCount;
            }

            if (frame.IsLast)
            {
                _finalSequence = sequence;
            }

            return OfferResult.Accepted;
        }

        /// <summary>Produces the next block into <see cref="Output"/>; returns how many samples it holds (0 unless played, concealed or silence).</summary>
        public PullResult Pull(out int samples)
        {
            samples = 0;
            if (IsFinished)
            {
                return PullResult.Finished;
            }

            if (!_started)
            {
                if (_buffered < _prefill && _finalSequence < 0)
                {
                    return PullResult.Waiting;
                }

                _started = true;
            }

            if (_gapBlocks == 0 && !IsStored(_nextSequence))
            {
                if (_buffered > 0 || _finalSequence >= 0)
                {
                    // A later frame is here, or the burst is over: this one is lost.
                    Lost++;
                    Advance(false);
                    _gapBlocks = _blocksPerFrame;
                }
                else
                {
                    // Dry: fill in one block, then wait for the prefill again.
                    Underruns++;
                    _started = false;
                    return Gap(out samples);
                }
            }

            if (_gapBlocks > 0)
            {
                _gapBlocks--;
                return Gap(out samples);
            }

            var slot = _nextSequence % _filled.Length;
            var next = 1 - _current;
            var blockBytes = _blockBytes[slot];
            var decoded = ImaAdpcmDecoder.DecodeBlock(_data[slot], _nextBlock * blockBytes, blockBytes, _output[next], 0);
            LastSequence = _nextSequence;
            LastBlockIndex = _nextBlock;
            _nextBlock++;
            if (_nextBlock == _blockCount[slot])
            {
                _filled[slot] = false;
                _buffered--;
                Advance(true);
            }

            if (decoded <= 0)
            {
                Rejected++;
                return Gap(out samples);
            }

            _current = next;
            _lastSamples = decoded;
            _missingRun = 0;
            Played++;
            samples = decoded;
            return PullResult.Played;
        }

        /// <summary>
        /// Like <see cref="Pull"/>, but a received block comes out <paramref name="drop"/> samples shorter (at most half
        /// of it): the block is laid over itself <paramref name="drop"/> samples later and faded from one copy to the
        /// other, so it starts and ends as it would have and nothing jumps. Taken over a few blocks, this brings latency
        /// back without a gap or a repeat; what is not a received block comes out as from <see cref="Pull"/>.
        /// </summary>
        public PullResult PullShortened(int drop, out int samples)
        {
            var result = Pull(out samples);
            if (result != PullResult.Played || drop <= 0)
            {
                return result;
            }

            if (drop > samples / 2)
            {
                drop = samples / 2;
            }

            // In place: out[i] reads only a[i] and a[i + drop], neither of which an earlier step overwrote.
            var output = _output[_current];
            var length = samples - drop;
            for (var i = 0; i < length; i++)
            {
                output[i] = (short)((output[i] * (length - i) + output[i + drop] * i) / length);
            }

            samples = length;
            Shortened++;
            return PullResult.Shortened;
        }

        private PullResult Gap(out int samples)
        {
            var next = 1 - _current;
            var output = _output[next];
            var previous = _output[_current];
            samples = _lastSamples > 0 ? _lastSamples : _blockSamples;
            var conceal = _missingRun == 0 && _lastSamples > 0;
            for (var i = 0; i < samples; i++)
            {
                output[i] = conceal ? (short)(previous[i] >> 1) : (short)0;
            }

            _current = next;
            _missingRun++;
            if (conceal)
            {
                Concealed++;
                return PullResult.Concealed;
            }

            Silent++;
            return PullResult.Silence;
        }

        private bool IsStored(int sequence)
        {
            var slot = sequence % _filled.Length;
            return _filled[slot] && _sequence[slot] == sequence;
        }

        private void Advance(bool received)
        {
            _history = (_history << 1) | (received ? 1UL : 0UL);
            _nextSequence++;
            _nextBlock = 0;
        }

        private void SkipTo(int sequence)
        {
            while (_nextSequence < sequence)
            {
                var slot = _nextSequence % _filled.Length;
                var stored = IsStored(_nextSequence);
                if (stored)
                {
                    _filled[slot] = false;
                    _buffered--;
                    Skipped++;
                }
                else
                {
                    Lost++;
                }

                Advance(stored);
            }
        }
    }
}
