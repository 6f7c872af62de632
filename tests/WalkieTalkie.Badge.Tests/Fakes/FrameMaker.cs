using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Tests.Fakes;

/// <summary>Builds the frames of a burst as the gateway would send them, from distinct, recognisable blocks.</summary>
public static class FrameMaker
{
    public const int Samples = 321;

    /// <summary>The PCM of block <paramref name="index"/>: a constant level that names the block (decoded back within a few units).</summary>
    public static short[] BlockPcm(int index)
    {
        var pcm = new short[Samples];
        Array.Fill(pcm, (short)(1000 + index * 100));
        return pcm;
    }

    public static List<byte[]> Burst(uint burstId, byte channel, int frames, int blocksPerFrame, byte rate = SampleRate.Narrowband, bool replay = false)
    {
        var encoder = new ImaAdpcmEncoder();
        var blockBytes = ImaAdpcm.BlockBytesFor(Samples);
        var list = new List<byte[]>();
        for (var sequence = 0; sequence < frames; sequence++)
        {
            var frame = new byte[AudioFrame.LengthFor(blocksPerFrame, blockBytes)];
            var flags = (byte)((sequence == 0 ? FrameFlags.First : 0) | (sequence == frames - 1 ? FrameFlags.Last : 0) | (replay ? FrameFlags.Replay : 0));
            AudioFrame.WriteHeader(frame, 0, channel, flags, burstId, (ushort)sequence, rate, blocksPerFrame, blockBytes);
            for (var b = 0; b < blocksPerFrame; b++)
            {
                encoder.EncodeBlock(BlockPcm(sequence * blocksPerFrame + b), 0, Samples, frame, AudioFrame.HeaderLength + b * blockBytes);
            }

            list.Add(frame);
        }

        return list;
    }

    /// <summary>Reads a frame as the badge does, failing the test when it does not parse.</summary>
    public static AudioFrame Parse(byte[] payload)
    {
        var frame = new AudioFrame();
        Assert.Equal(WalkieTalkie.Protocol.ProtocolError.None, frame.Read(payload, 0, payload.Length));
        return frame;
    }

    /// <summary>Which block a decoded block is (by its level), or -1 for silence.</summary>
    public static int Identify(short[] decoded)
    {
        var middle = decoded[decoded.Length / 2];
        return middle == 0 ? -1 : (int)Math.Round((middle - 1000) / 100.0);
    }
}
