using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>Audio frames as a badge sends them: one 164-byte IMA ADPCM block each, with recognisable codes.</summary>
public static class TestFrames
{
    public const int BlockBytes = 164;

    public static byte[] Make(byte channel, uint burstId, ushort sequence, bool last = false, byte rateCode = 0, int blocks = 1)
    {
        var frame = new byte[AudioFrame.LengthFor(blocks, BlockBytes)];
        var flags = (byte)((sequence == 0 ? FrameFlags.First : 0) | (last ? FrameFlags.Last : 0));
        AudioFrame.WriteHeader(frame, 0, channel, flags, burstId, sequence, rateCode, blocks, BlockBytes);
        for (var b = 0; b < blocks; b++)
        {
            var at = AudioFrame.HeaderLength + b * BlockBytes;
            frame[at] = (byte)sequence;
            frame[at + 2] = 10;
            for (var i = 4; i < BlockBytes; i++)
            {
                frame[at + i] = (byte)(sequence * 7 + i);
            }
        }

        return frame;
    }
}
