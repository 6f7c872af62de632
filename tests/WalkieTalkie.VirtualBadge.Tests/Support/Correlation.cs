namespace WalkieTalkie.VirtualBadge.Tests.Support;

/// <summary>How much of one signal is in another.</summary>
public static class Correlation
{
    /// <summary>
    /// The best normalised cross-correlation of <paramref name="reference"/> against <paramref name="signal"/> over lags
    /// <paramref name="minLag"/>..<paramref name="maxLag"/> (the reference starting that many samples into the signal), and that lag. 1 is the
    /// same waveform at some gain; 0 is nothing in common.
    /// </summary>
    public static (double Peak, int Lag) Best(short[] reference, short[] signal, int minLag, int maxLag)
    {
        double referenceEnergy = 0;
        foreach (var x in reference)
        {
            referenceEnergy += (double)x * x;
        }

        var best = (Peak: 0.0, Lag: -1);
        for (var lag = Math.Max(minLag, 0); lag <= maxLag && lag < signal.Length; lag++)
        {
            double dot = 0, energy = 0;
            var count = Math.Min(reference.Length, signal.Length - lag);
            for (var i = 0; i < count; i++)
            {
                double y = signal[lag + i];
                dot += reference[i] * y;
                energy += y * y;
            }

            if (energy > 0)
            {
                var score = dot / Math.Sqrt(referenceEnergy * energy);
                if (score > best.Peak)
                {
                    best = (score, lag);
                }
            }
        }

        return best;
    }
}
