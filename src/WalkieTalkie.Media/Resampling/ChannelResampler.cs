using Concentus;

namespace WalkieTalkie.Media.Resampling;

/// <summary>
/// Brings 48 kHz audio down to a channel's rate with the Speex resampler that ships in Concentus: a windowed-sinc
/// (Kaiser) band-limited filter, not sample dropping, so nothing above the new Nyquist frequency folds back as
/// aliasing. Quality 8 gives a stop band near −90 dB (Speex's table), past what 16-bit ADPCM can carry.
/// The resampler's start latency is skipped and its tail flushed, so output sample i lines up with input sample
/// i × ratio and the length is the input's scaled and rounded to the nearest sample.
/// </summary>
public static class ChannelResampler
{
    /// <summary>The Speex quality used (0..10).</summary>
    public const int Quality = 8;

    /// <summary>Resamples mono <paramref name="pcm"/> from <paramref name="inputRate"/> to <paramref name="outputRate"/>.</summary>
    public static short[] Resample(ReadOnlySpan<short> pcm, int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        if (inputRate == outputRate)
        {
            return pcm.ToArray();
        }

        int length = (int)(((long)pcm.Length * outputRate + inputRate / 2) / inputRate);
        var output = new short[length];
        if (length == 0)
        {
            return output;
        }

        // The factory has no native resampler today (its documentation says so), so this is always the managed one.
        IResampler resampler = ResamplerFactory.CreateResampler(1, inputRate, outputRate, Quality, null);
        resampler.SkipZeroes();

        int produced = Feed(resampler, pcm, output, 0);
        // The filter still holds the last InputLatency samples' worth of output: push silence through to get it out.
        var flush = new short[resampler.InputLatency + 1];
        while (produced < length)
        {
            int more = Feed(resampler, flush, output, produced);
            if (more == 0)
            {
                break;
            }

            produced += more;
        }

        return output;
    }

    private static int Feed(IResampler resampler, ReadOnlySpan<short> input, short[] output, int at)
    {
        // Speex takes mutable spans; it does not write into its input.
        short[] copy = input.ToArray();
        int consumed = 0;
        int produced = 0;
        while (consumed < copy.Length && at + produced < output.Length)
        {
            int inLength = copy.Length - consumed;
            int outLength = output.Length - at - produced;
            resampler.Process(0, copy.AsSpan(consumed), ref inLength, output.AsSpan(at + produced), ref outLength);
            if (inLength == 0 && outLength == 0)
            {
                break;
            }

            consumed += inLength;
            produced += outLength;
        }

        return produced;
    }
}
