using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// A recording as read back by the <see cref="RecordingReader"/>: its rate, block length and blocks (all of them one
/// after another), whether it ended properly, and how many of the file's bytes were authentic (what recovery keeps).
/// </summary>
/// <param name="SampleRate">Samples per second (8000 or 16000 from the gateway).</param>
/// <param name="BlockBytes">The IMA ADPCM block length.</param>
/// <param name="Blocks">The blocks, one after another.</param>
/// <param name="Finished">The final chunk was read (a file cut short has none).</param>
/// <param name="AuthenticLength">The file's bytes up to the last chunk that authenticated.</param>
/// <param name="Sealed">Encrypted at rest; false for a WAV written before recordings were sealed.</param>
public sealed record RecordedAudio(int SampleRate, int BlockBytes, byte[] Blocks, bool Finished, long AuthenticLength, bool Sealed)
{
    public int BlockCount => Blocks.Length / BlockBytes;

    public int SamplesPerBlock => ImaAdpcm.SamplesPerBlockFor(BlockBytes);

    public long DurationMs => (long)BlockCount * SamplesPerBlock * 1000 / SampleRate;

    /// <summary>Each block on its own.</summary>
    public List<byte[]> BlockList()
    {
        var list = new List<byte[]>(BlockCount);
        for (var at = 0; at + BlockBytes <= Blocks.Length; at += BlockBytes)
        {
            list.Add(Blocks.AsSpan(at, BlockBytes).ToArray());
        }

        return list;
    }

    /// <summary>The recording as a Microsoft IMA ADPCM WAV (format 0x0011) with its sizes, as sox and ffmpeg read it.</summary>
    public byte[] ToWav()
    {
        var wav = new byte[WavWriter.ImaAdpcmHeaderBytes + Blocks.Length];
        var written = WavWriter.WriteImaAdpcmHeader(wav, 0, SampleRate, BlockBytes, BlockCount, BlockCount * SamplesPerBlock);
        if (written < 0)
        {
            throw new InvalidDataException($"no WAV header for {BlockBytes}-byte blocks at {SampleRate} Hz ({written})");
        }

        Blocks.CopyTo(wav, WavWriter.ImaAdpcmHeaderBytes);
        return wav;
    }
}
