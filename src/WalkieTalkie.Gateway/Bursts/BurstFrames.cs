using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// A burst's frames made by the gateway itself, exactly as a badge sends them: ADPCM blocks cut into frames (a voice
/// message from Matrix), a recording's blocks cut again for a replay, and a copy of a live frame flagged replay.
/// </summary>
public static class BurstFrames
{
    /// <summary>
    /// Checks the blocks (not empty, one length, a valid IMA block length) and cuts them <paramref name="blocksPerFrame"/>
    /// a frame, numbered from 0, the first flagged first and the last flagged last (and all replay when asked).
    /// </summary>
    /// <exception cref="ArgumentException">The blocks are not a playable burst.</exception>
    public static List<byte[]> Cut(IReadOnlyList<byte[]> blocks, byte channel, uint burstId, byte rateCode, int blocksPerFrame, bool replay = false)
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
            var flags = (byte)((replay ? FrameFlags.Replay : 0) | (block == 0 ? FrameFlags.First : 0) | (block + count >= blocks.Count ? FrameFlags.Last : 0));
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

    /// <summary>A copy of a received frame (read into <paramref name="frame"/>) for another channel's burst.</summary>
    public static byte[] Readdressed(byte[] payload, AudioFrame frame, byte channel, uint burstId)
    {
        var copy = (byte[])payload.Clone();
        AudioFrame.WriteHeader(copy, 0, channel, frame.Flags, burstId, frame.Sequence, frame.RateCode, frame.BlockCount, frame.BlockBytes);
        return copy;
    }

    /// <summary>A copy of a received frame with the replay flag set (the live frame is shared and never changed).</summary>
    public static byte[] ReplayOf(byte[] liveFrame)
    {
        var copy = (byte[])liveFrame.Clone();
        AudioFrame.MarkReplay(copy, 0);
        return copy;
    }

    /// <summary>
    /// The frames of a recording's blocks (read with <paramref name="reader"/>), <paramref name="blocksPerFrame"/> a
    /// frame, numbered from 0, the first flagged first and the last flagged last, all flagged replay. Empty when the
    /// file is missing or not readable.
    /// </summary>
    public static List<byte[]> FromRecording(RecordingReader reader, string path, byte channel, uint burstId, int blocksPerFrame)
    {
        RecordedAudio audio;
        try
        {
            audio = reader.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return [];
        }

        if (audio.BlockBytes < AudioFrame.MinBlockBytes || audio.BlockBytes > AudioFrame.MaxBlockBytes || audio.BlockCount == 0)
        {
            return [];
        }

        try
        {
            return Cut(audio.BlockList(), channel, burstId, SampleRate.FromHertz(audio.SampleRate), blocksPerFrame, replay: true);
        }
        catch (ArgumentException)
        {
            return []; // not a block length the protocol can carry
        }
    }
}
