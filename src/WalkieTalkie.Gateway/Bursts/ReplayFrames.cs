using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Bursts;

/// <summary>Frames flagged <c>replay</c>: copies of live frames, or frames cut from a recording's blocks.</summary>
public static class ReplayFrames
{
    /// <summary>A copy of a received frame with the replay flag set (the live frame is shared and never changed).</summary>
    public static byte[] FromLive(byte[] frame)
    {
        var copy = (byte[])frame.Clone();
        copy[3] |= FrameFlags.Replay;
        return copy;
    }

    /// <summary>
    /// The frames of a recorded WAV file's blocks, <paramref name="blocksPerFrame"/> a frame, numbered from 0, the
    /// first flagged first and the last flagged last, all flagged replay. Empty when the file is not readable.
    /// </summary>
    public static List<byte[]> FromRecording(string path, byte channel, uint burstId, int blocksPerFrame)
    {
        var frames = new List<byte[]>();
        if (!File.Exists(path))
        {
            return frames;
        }

        var file = File.ReadAllBytes(path);
        var info = new WavInfo();
        if (WavReader.Read(file, file.Length, info) != WavError.Ok || !info.IsImaAdpcm || info.BlockAlign < AudioFrame.MinBlockBytes)
        {
            return frames;
        }

        var rateCode = SampleRate.FromHertz(info.SampleRate);
        var blockBytes = info.BlockAlign;
        var blocks = info.DataLength / blockBytes;
        blocksPerFrame = Math.Clamp(blocksPerFrame, 1, AudioFrame.MaxBlocks);
        for (int block = 0, sequence = 0; block < blocks; block += blocksPerFrame, sequence++)
        {
            var count = Math.Min(blocksPerFrame, blocks - block);
            var frame = new byte[AudioFrame.LengthFor(count, blockBytes)];
            var flags = (byte)(FrameFlags.Replay | (block == 0 ? FrameFlags.First : 0) | (block + count >= blocks ? FrameFlags.Last : 0));
            AudioFrame.WriteHeader(frame, 0, channel, flags, burstId, (ushort)sequence, rateCode, count, blockBytes);
            Array.Copy(file, info.DataOffset + block * blockBytes, frame, AudioFrame.HeaderLength, count * blockBytes);
            frames.Add(frame);
        }

        return frames;
    }
}
