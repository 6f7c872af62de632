using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Bursts;

/// <summary>Cuts ADPCM blocks into a burst's live frames, exactly as a badge sends them.</summary>
public static class AudioFrames
{
    /// <summary>
    /// Checks the blocks (not empty, one length, a valid IMA block length) and cuts them <paramref name="blocksPerFrame"/>
    /// a frame, numbered from 0, the first flagged first and the last flagged last.
    /// </summary>
    /// <exception cref="ArgumentException">The blocks are not a playable burst.</exception>
    public static List<byte[]> Cut(IReadOnlyList<byte[]> blocks, byte channel, uint burstId, byte rateCode, int blocksPerFrame)
    {
        var blockBytes = Check(blocks);
        blocksPerFrame = Math.Clamp(Math.Min(blocksPerFrame, (AudioFrame.MaxLength - AudioFrame.HeaderLength) / blockBytes), 1, AudioFrame.MaxBlocks);
        var frameCount = (blocks.Count + blocksPerFrame - 1) / blocksPerFrame;
        if (frameCount > ushort.MaxValue + 1)
        {
            throw new ArgumentException($"{blocks.Count} blocks do not fit the 16-bit frame sequence of one burst", nameof(blocks));
        }

        var frames = new List<byte[]>(frameCount);
        for (int block = 0, sequence = 0; block < blocks.Count; block += blocksPerFrame, sequence++)
        {
            var count = Math.Min(blocksPerFrame, blocks.Count - block);
            var frame = new byte[AudioFrame.LengthFor(count, blockBytes)];
            var flags = (byte)((block == 0 ? FrameFlags.First : 0) | (block + count >= blocks.Count ? FrameFlags.Last : 0));
            AudioFrame.WriteHeader(frame, 0, channel, flags, burstId, (ushort)sequence, rateCode, count, blockBytes);
            for (var i = 0; i < count; i++)
            {
                Array.Copy(blocks[block + i], 0, frame, AudioFrame.HeaderLength + i * blockBytes, blockBytes);
            }

            frames.Add(frame);
        }

        return frames;
    }

    /// <summary>Checks that the blocks are a playable burst; returns their length.</summary>
    /// <exception cref="ArgumentException">No blocks, blocks of different lengths, or not an IMA ADPCM block length.</exception>
    public static int Check(IReadOnlyList<byte[]> blocks)
    {
        if (blocks.Count == 0)
        {
            throw new ArgumentException("no audio blocks", nameof(blocks));
        }

        var blockBytes = blocks[0].Length;
        if (blockBytes < AudioFrame.MinBlockBytes || blockBytes > AudioFrame.MaxBlockBytes || ImaAdpcm.SamplesPerBlockFor(blockBytes) <= 0)
        {
            throw new ArgumentException($"blocks of {blockBytes} bytes are not IMA ADPCM blocks", nameof(blocks));
        }

        if (blocks.Any(b => b.Length != blockBytes))
        {
            throw new ArgumentException("blocks of different lengths", nameof(blocks));
        }

        return blockBytes;
    }
}
