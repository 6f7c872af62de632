using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Media.Bursts;

/// <summary>
/// Audio ready for the badges: IMA ADPCM blocks of the protocol (each self-contained, all the same size; the
/// last one padded with silence), one or more of which go into an audio frame.
/// </summary>
/// <param name="SampleRate">8000 or 16000: the channel's rate.</param>
/// <param name="SamplesPerBlock">Samples per block (odd; ImaAdpcm.DefaultSamplesPerBlock by default).</param>
/// <param name="Blocks">The blocks, each <see cref="BlockBytes"/> long.</param>
/// <param name="SampleCount">Samples that carry the message (the rest of the last block is padding).</param>
public sealed record BadgeBurst(int SampleRate, int SamplesPerBlock, IReadOnlyList<byte[]> Blocks, int SampleCount)
{
    /// <summary>Bytes per block.</summary>
    public int BlockBytes => ImaAdpcm.BlockBytesFor(SamplesPerBlock);

    /// <summary>The length in milliseconds, rounded to the nearest.</summary>
    public int DurationMilliseconds => (int)(((long)SampleCount * 1000 + SampleRate / 2) / SampleRate);

    /// <summary>The blocks as an IMA ADPCM WAV file (what a badge burst recording looks like), for logs and tests.</summary>
    public byte[] ToWav()
    {
        var file = new byte[WavWriter.ImaAdpcmHeaderBytes + Blocks.Count * BlockBytes];
        int header = WavWriter.WriteImaAdpcmHeader(file, 0, SampleRate, BlockBytes, Blocks.Count, SampleCount);
        if (header < 0)
        {
            throw new InvalidOperationException("The WAV header could not be written: " + WavError.Describe(header));
        }

        for (int i = 0; i < Blocks.Count; i++)
        {
            Blocks[i].CopyTo(file, header + i * BlockBytes);
        }

        return file;
    }
}
