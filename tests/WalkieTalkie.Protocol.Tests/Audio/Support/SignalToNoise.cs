namespace WalkieTalkie.Protocol.Tests.Audio.Support;

/// <summary>Signal-to-noise ratio and sample differences between a reference signal and a coded one.</summary>
public static class SignalToNoise
{
    /// <summary>10 log10(signal energy / error energy) over the first <paramref name="count"/> samples, in dB.</summary>
    public static double Decibels(short[] reference, short[] coded, int count)
    {
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < count; i++)
        {
            double e = reference[i] - coded[i];
            signal += (double)reference[i] * reference[i];
            noise += e * e;
        }

        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }

    /// <summary>10 log10 over the whole of <paramref name="reference"/> (the coded signal must be at least as long).</summary>
    public static double Decibels(short[] reference, short[] coded) => Decibels(reference, coded, reference.Length);

    /// <summary>The largest |a[i] - b[i]| over the first <paramref name="count"/> samples.</summary>
    public static int LargestDifference(short[] a, short[] b, int count)
    {
        int largest = 0;
        for (int i = 0; i < count; i++)
        {
            largest = Math.Max(largest, Math.Abs(a[i] - b[i]));
        }

        return largest;
    }

    /// <summary>The index of the first sample where the two differ, or -1.</summary>
    public static int FirstDifference(short[] a, short[] b, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return -1;
    }
}
