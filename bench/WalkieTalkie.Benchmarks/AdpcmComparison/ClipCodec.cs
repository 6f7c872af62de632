using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Benchmarks.AdpcmComparison;

/// <summary>A whole clip through one of our IMA ADPCM encoders and back through our decoder (the IMA reference computation, as sox).</summary>
internal static class ClipCodec
{
    public delegate int BlockEncoder(short[] samples, int offset, int count, byte[] block, int blockOffset);

    /// <summary>The clip cut into blocks of <paramref name="samplesPerBlock"/>, the last padded by repeating the last sample.</summary>
    public static short[] Padded(short[] samples, int samplesPerBlock)
    {
        int blocks = (samples.Length + samplesPerBlock - 1) / samplesPerBlock;
        var padded = new short[blocks * samplesPerBlock];
        samples.CopyTo(padded, 0);
        Array.Fill(padded, samples[^1], samples.Length, padded.Length - samples.Length);
        return padded;
    }

    /// <summary>Encodes a padded clip block by block into <paramref name="data"/>.</summary>
    public static void Encode(short[] padded, int samplesPerBlock, BlockEncoder encoder, byte[] data)
    {
        int blockBytes = ImaAdpcm.BlockBytesFor(samplesPerBlock);
        for (int b = 0; b < padded.Length / samplesPerBlock; b++)
        {
            int written = encoder(padded, b * samplesPerBlock, samplesPerBlock, data, b * blockBytes);
            if (written != blockBytes)
            {
                throw new InvalidOperationException(AdpcmError.Describe(written));
            }
        }
    }

    /// <summary>Decodes blocks of <paramref name="samplesPerBlock"/> back to the first <paramref name="length"/> samples.</summary>
    public static short[] Decode(byte[] data, int offset, int blockCount, int blockBytes, int length)
    {
        int samplesPerBlock = ImaAdpcm.SamplesPerBlockFor(blockBytes);
        var decoded = new short[blockCount * samplesPerBlock];
        for (int b = 0; b < blockCount; b++)
        {
            int count = ImaAdpcmDecoder.DecodeBlock(data, offset + b * blockBytes, blockBytes, decoded, b * samplesPerBlock);
            if (count != samplesPerBlock)
            {
                throw new InvalidOperationException(AdpcmError.Describe(count));
            }
        }

        return decoded[..length];
    }

    /// <summary>Decodes an IMA ADPCM WAV file (ffmpeg's) with our reader and decoder.</summary>
    public static short[] DecodeWav(byte[] file)
    {
        var info = new WavInfo();
        int result = WavReader.Read(file, file.Length, info);
        if (result != WavError.Ok || !info.IsImaAdpcm)
        {
            throw new InvalidOperationException("not an IMA ADPCM WAV: " + WavError.Describe(result));
        }

        return Decode(file, info.DataOffset, info.BlockCount, info.BlockAlign, info.SampleCount);
    }

    /// <summary>10 log10(signal energy / error energy), in dB.</summary>
    public static double SignalToNoise(short[] reference, short[] coded)
    {
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double e = reference[i] - coded[i];
            signal += (double)reference[i] * reference[i];
            noise += e * e;
        }

        return 10 * Math.Log10(signal / noise);
    }
}
