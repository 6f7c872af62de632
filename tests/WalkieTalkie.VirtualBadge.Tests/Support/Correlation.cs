namespace WalkieTalkie.Badge.Simulation.Tests.Support;

/// <summary>How much of one signal is in another.</summary>
public static class Correlation
{
    /// <summary>
    /// The best normalised cross-correlation of <paramref name="reference"/> against <paramref name="signal"/> over lags
    /// <paramref name="minLag"/>..<paramref name="maxLag"/> (the reference starting that many samples into the signal),
    /// and that lag. 1 is the same waveform at some gain; 0 is nothing in common. Lags are tried every
    /// <paramref name="coarseStep"/> samples, then one by one around the best: speech's correlation peak is wider than a
    /// few samples, and the search costs a fraction of trying every lag.
    /// </summary>
    public static (double Peak, int Lag) Best(short[] reference, short[] signal, int minLag, int maxLag, int coarseStep = 1)
    {
        double referenceEnergy = 0;
        foreach (var x in reference)
        {
            referenceEnergy += (double)x * x;
        }

        minLag = Math.Max(minLag, 0);
        maxLag = Math.Min(maxLag, signal.Length - 1);
        var best = (Peak: 0.0, Lag: -1);
        for (var lag = minLag; lag <= maxLag; lag += Math.Max(coarseStep, 1))
        {
            best = Better(best, lag, At(reference, referenceEnergy, signal, lag));
        }

        if (coarseStep > 1 && best.Lag >= 0)
        {
            var around = best.Lag;
            for (var lag = Math.Max(minLag, around - coarseStep + 1); lag <= Math.Min(maxLag, around + coarseStep - 1); lag++)
            {
                best = Better(best, lag, At(reference, referenceEnergy, signal, lag));
            }
        }

        return best;
    }

    private static (double Peak, int Lag) Better((double Peak, int Lag) best, int lag, double score) => score > best.Peak ? (score, lag) : best;

    private static double At(short[] reference, double referenceEnergy, short[] signal, int lag)
    {
        double dot = 0, energy = 0;
        var count = Math.Min(reference.Length, signal.Length - lag);
        for (var i = 0; i < count; i++)
        {
            double y = signal[lag + i];
            dot += reference[i] * y;
            energy += y * y;
        }

        return energy > 0 ? dot / Math.Sqrt(referenceEnergy * energy) : 0;
    }
}
