namespace WalkieTalkie.Media.Tests.Support;

/// <summary>How alike two signals are.</summary>
internal static class Similarity
{
    /// <summary>
    /// The normalised cross-correlation of <paramref name="a"/> and <paramref name="b"/> at the best lag within
    /// ±<paramref name="maxLag"/> samples, over the overlap: 1 for identical shapes, 0 for unrelated signals.
    /// </summary>
    public static (double Correlation, int Lag) BestCorrelation(ReadOnlySpan<short> a, ReadOnlySpan<short> b, int maxLag)
    {
        double best = double.NegativeInfinity;
        int bestLag = 0;
        for (int lag = -maxLag; lag <= maxLag; lag++)
        {
            double c = CorrelationAt(a, b, lag);
            if (c > best)
            {
                best = c;
                bestLag = lag;
            }
        }

        return (best, bestLag);
    }

    /// <summary>The normalised correlation of a[i] with b[i + lag].</summary>
    public static double CorrelationAt(ReadOnlySpan<short> a, ReadOnlySpan<short> b, int lag)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = Math.Max(0, -lag); i < a.Length && i + lag < b.Length; i++)
        {
            double x = a[i];
            double y = b[i + lag];
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }

        return aa == 0 || bb == 0 ? 0 : ab / Math.Sqrt(aa * bb);
    }

    public static double Rms(ReadOnlySpan<short> pcm)
    {
        double energy = 0;
        foreach (short s in pcm)
        {
            energy += (double)s * s;
        }

        return pcm.IsEmpty ? 0 : Math.Sqrt(energy / pcm.Length);
    }
}
