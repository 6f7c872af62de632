using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// Writes one burst to an IMA ADPCM WAV file as its frames arrive: the protocol's blocks as they are, no
/// transcoding. The header is written first with sizes of 0 (which readers take as "to the end of the file") and
/// patched when the burst ends. Every frame is handed to the operating system at once, so killing the process
/// loses at most the frame in flight; <see cref="FlushToDiskEvery"/> frames it is also forced to disk.
/// A frame lost on the way becomes blocks of silence, so the recording keeps its timing.
/// </summary>
public sealed class BurstRecorder : IDisposable
{
    /// <summary>Frames between fsyncs; the OS has every frame at once anyway.</summary>
    public const int FlushToDiskEvery = 25;

    /// <summary>Gaps longer than this many frames are not filled (a sequence jump that big is not a loss).</summary>
    private const int MaxGapFill = 50;

    private readonly FileStream _file;
    private readonly int _sampleRate;
    private int _nextSequence;
    private int _blocks;
    private int _sinceFlush;

    public BurstRecorder(string path, int sampleRate)
    {
        Path = path;
        _sampleRate = sampleRate;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
    }

    public string Path { get; }

    /// <summary>The block length of this burst, fixed by its first frame (0 before).</summary>
    public int BlockBytes { get; private set; }

    public int FramesReceived { get; private set; }

    public int FramesLost { get; private set; }

    /// <summary>Frames refused because their block length differs from the burst's.</summary>
    public int FramesRefused { get; private set; }

    public int SamplesPerBlock => BlockBytes == 0 ? 0 : ImaAdpcm.SamplesPerBlockFor(BlockBytes);

    public long DurationMs => _sampleRate == 0 ? 0 : (long)_blocks * SamplesPerBlock * 1000 / _sampleRate;

    /// <summary>Appends a frame's blocks. Frames must come in sequence order; late ones (already passed) are dropped.</summary>
    public void Append(AudioFrame frame)
    {
        if (BlockBytes == 0)
        {
            BlockBytes = frame.BlockBytes;
            WriteHeader(0);
        }

        if (frame.BlockBytes != BlockBytes)
        {
            FramesRefused++;
            return;
        }

        var gap = frame.Sequence - _nextSequence;
        if (gap < 0)
        {
            return;
        }

        if (gap > 0)
        {
            FramesLost += gap;
            for (var i = 0; i < Math.Min(gap, MaxGapFill) * frame.BlockCount; i++)
            {
                WriteSilentBlock();
            }
        }

        _file.Write(frame.Buffer, frame.BlocksOffset, frame.BlocksLength);
        _blocks += frame.BlockCount;
        _nextSequence = frame.Sequence + 1;
        FramesReceived++;
        _file.Flush(false);
        if (++_sinceFlush >= FlushToDiskEvery)
        {
            _file.Flush(true);
            _sinceFlush = 0;
        }
    }

    /// <summary>Counts frames the talker says it sent but never arrived after the last one received.</summary>
    public void NoteFramesSent(int framesSent)
    {
        if (framesSent > _nextSequence)
        {
            FramesLost += framesSent - _nextSequence;
        }
    }

    private void WriteSilentBlock()
    {
        // A block whose first sample and codes are 0 at step index 0 decodes to silence.
        Span<byte> silence = stackalloc byte[BlockBytes];
        silence.Clear();
        _file.Write(silence);
        _blocks++;
    }

    /// <summary>Patches the header with the final sizes and closes the file.</summary>
    public void Finish()
    {
        if (BlockBytes == 0)
        {
            BlockBytes = 164;
        }

        _file.Flush(true);
        _file.Position = 0;
        WriteHeader(_blocks);
        _file.Flush(true);
        _file.Dispose();
    }

    private void WriteHeader(int blocks)
    {
        var header = new byte[WavWriter.ImaAdpcmHeaderBytes];
        var result = WavWriter.WriteImaAdpcmHeader(header, 0, _sampleRate, BlockBytes, blocks, blocks * SamplesPerBlock);
        if (result < 0)
        {
            throw new InvalidOperationException($"cannot write a WAV header for {BlockBytes}-byte blocks at {_sampleRate} Hz ({result})");
        }

        var position = _file.Position;
        _file.Position = 0;
        _file.Write(header);
        _file.Position = Math.Max(position, header.Length);
    }

    public void Dispose() => _file.Dispose();
}
