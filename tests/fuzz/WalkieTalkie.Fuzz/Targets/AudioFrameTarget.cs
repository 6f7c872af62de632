using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Fuzz.Targets;

/// <summary>
/// <see cref="AudioFrame.Read"/> as the gateway and the badge call it on every audio payload, then what they do with an
/// accepted frame: decode each block. The parser never throws; a refusal is a <see cref="ProtocolError"/>. An accepted
/// frame's header must write back to the same bytes.
/// </summary>
public sealed class AudioFrameTarget : FuzzTarget
{
    private readonly AudioFrame _frame = new();
    private readonly short[] _samples = new short[ImaAdpcm.SamplesPerBlockFor(AudioFrame.MaxBlockBytes)];
    private readonly byte[] _header = new byte[AudioFrame.MaxLength];

    public override string Description => "AudioFrame.Read, then every block through ImaAdpcmDecoder";

    public override IReadOnlyList<string> Libraries => ["WalkieTalkie.Protocol"];

    public override FuzzOutcome Run(byte[] input)
    {
        if (_frame.Read(input, 0, input.Length) != ProtocolError.None)
        {
            return FuzzOutcome.Refused;
        }

        var length = AudioFrame.WriteHeader(_header, 0, _frame.Channel, _frame.Flags, _frame.BurstId, _frame.Sequence,
            _frame.RateCode, _frame.BlockCount, _frame.BlockBytes);
        if (length != input.Length || !_header.AsSpan(0, AudioFrame.HeaderLength).SequenceEqual(input.AsSpan(0, AudioFrame.HeaderLength)))
        {
            throw new FuzzInvariantException($"an accepted frame's header writes back as other bytes (length {length} for {input.Length})");
        }

        for (var block = 0; block < _frame.BlockCount; block++)
        {
            // A damaged block (a bad step index) is the decoder's documented refusal, as for a badge it is a lost block.
            ImaAdpcmDecoder.DecodeBlock(_frame.Buffer, _frame.BlockOffset(block), _frame.BlockBytes, _samples, 0);
        }

        return FuzzOutcome.Accepted;
    }

    public override IEnumerable<byte[]> Seeds()
    {
        yield return Frame(SampleRate.Narrowband, FrameFlags.First, blockCount: 1, samplesPerBlock: ImaAdpcm.DefaultSamplesPerBlock);
        yield return Frame(SampleRate.Wideband, FrameFlags.Last, blockCount: 2, samplesPerBlock: 161);
        foreach (var seed in WithTruncations(Frame(SampleRate.Narrowband, FrameFlags.Replay, blockCount: 3, samplesPerBlock: 41), AudioFrame.HeaderLength))
        {
            yield return seed;
        }
    }

    private static byte[] Frame(byte rateCode, byte flags, int blockCount, int samplesPerBlock)
    {
        var blockBytes = ImaAdpcm.BlockBytesFor(samplesPerBlock);
        var frame = new byte[AudioFrame.LengthFor(blockCount, blockBytes)];
        AudioFrame.WriteHeader(frame, 0, channel: 3, flags, burstId: 0x01020304, sequence: 7, rateCode, blockCount, blockBytes);
        var encoder = new ImaAdpcmEncoder();
        var samples = SeedAudio.Tone(samplesPerBlock * blockCount, SampleRate.ToHertz(rateCode));
        for (var block = 0; block < blockCount; block++)
        {
            encoder.EncodeBlock(samples, block * samplesPerBlock, samplesPerBlock, frame, AudioFrame.HeaderLength + block * blockBytes);
        }

        return frame;
    }
}
