using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Media.Bursts;

/// <summary>
/// Reads a burst as the gateway records it: a mono IMA ADPCM WAV (the protocol's blocks, one after the other),
/// or 16-bit PCM WAV, at 8 or 16 kHz. A recording whose header was never patched (data size 0 or too large)
/// is read to its last whole block. Throws only <see cref="MediaFormatException"/>.
/// </summary>
public static class BurstWavReader
{
    /// <summary>Decodes the WAV file in <paramref name="wav"/>.</summary>
    public static BurstAudio Read(byte[] wav)
    {
        ArgumentNullException.ThrowIfNull(wav);
        var info = new WavInfo();
        int result = WavReader.Read(wav, wav.Length, info);
        if (result != WavError.Ok)
        {
            throw new MediaFormatException(MediaError.BadBurst, "The burst is not a WAV file the gateway records: " + WavError.Describe(result) + ".");
        }

        if (info.SampleRate is not (8000 or 16000))
        {
            throw new MediaFormatException(MediaError.UnsupportedSampleRate, $"Bursts are recorded at 8000 or 16000 Hz, this one at {info.SampleRate}.");
        }

        var samples = new short[info.SampleCount];
        if (!info.IsImaAdpcm)
        {
            for (int i = 0; i < samples.Length; i++)
            {
                int at = info.DataOffset + 2 * i;
                samples[i] = (short)(wav[at] | (wav[at + 1] << 8));
            }

            return new BurstAudio(samples, info.SampleRate);
        }

        var block = new short[info.SamplesPerBlock];
        int written = 0;
        for (int b = 0; b < info.BlockCount && written < samples.Length; b++)
        {
            int decoded = ImaAdpcmDecoder.DecodeBlock(wav, info.DataOffset + b * info.BlockAlign, info.BlockAlign, block, 0);
            if (decoded < 0)
            {
                throw new MediaFormatException(MediaError.BadBurst, $"Block {b} of the burst is damaged: {AdpcmError.Describe(decoded)}.");
            }

            int take = Math.Min(decoded, samples.Length - written);
            Array.Copy(block, 0, samples, written, take);
            written += take;
        }

        return new BurstAudio(samples, info.SampleRate);
    }
}
