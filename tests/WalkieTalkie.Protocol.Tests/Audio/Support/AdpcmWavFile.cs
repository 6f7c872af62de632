using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Protocol.Tests.Audio.Support;

/// <summary>Encodes a whole signal to an IMA ADPCM WAV file image, and decodes one, with the library's code.</summary>
public static class AdpcmWavFile
{
    /// <summary>The shape of ImaAdpcmEncoder.EncodeBlock and ImaAdpcmTrellisEncoder.EncodeBlock.</summary>
    public delegate int BlockEncoder(short[] samples, int offset, int count, byte[] block, int blockOffset);

    /// <summary>
    /// The WAV image of <paramref name="samples"/> in blocks of <paramref name="samplesPerBlock"/>; the last block
    /// is padded by repeating the last sample, and the fact chunk says how many samples are real.
    /// </summary>
    public static byte[] Encode(short[] samples, int rate, int samplesPerBlock, BlockEncoder encoder)
    {
        int blockBytes = ImaAdpcm.BlockBytesFor(samplesPerBlock);
        int blocks = (samples.Length + samplesPerBlock - 1) / samplesPerBlock;
        var padded = new short[blocks * samplesPerBlock];
        Array.Copy(samples, padded, samples.Length);
        for (int i = samples.Length; i < padded.Length; i++)
        {
            padded[i] = samples[^1];
        }

        var file = new byte[WavWriter.ImaAdpcmHeaderBytes + blocks * blockBytes];
        int header = WavWriter.WriteImaAdpcmHeader(file, 0, rate, blockBytes, blocks, samples.Length);
        Assert.Equal(WavWriter.ImaAdpcmHeaderBytes, header);
        for (int b = 0; b < blocks; b++)
        {
            int written = encoder(padded, b * samplesPerBlock, samplesPerBlock, file, header + b * blockBytes);
            Assert.Equal(blockBytes, written);
        }

        return file;
    }

    /// <summary>
    /// Decodes the samples the WAV image says to play (the fact chunk's count), or with <paramref name="wholeBlocks"/>
    /// every sample of every block, padding included (what sox and ffmpeg output); fails the test on any error.
    /// </summary>
    public static short[] Decode(byte[] file, bool wholeBlocks = false)
    {
        var info = new WavInfo();
        int result = WavReader.Read(file, file.Length, info);
        Assert.True(result == WavError.Ok, WavError.Describe(result));
        Assert.True(info.IsImaAdpcm, "not an IMA ADPCM file");

        var samples = new short[info.BlockCount * info.SamplesPerBlock];
        for (int b = 0; b < info.BlockCount; b++)
        {
            int decoded = ImaAdpcmDecoder.DecodeBlock(file, info.DataOffset + b * info.BlockAlign, info.BlockAlign, samples, b * info.SamplesPerBlock);
            Assert.True(decoded == info.SamplesPerBlock, AdpcmError.Describe(decoded));
        }

        return wholeBlocks ? samples : samples[..info.SampleCount];
    }
}
