namespace WalkieTalkie.Protocol.Tests.Audio.Support;

/// <summary>Deterministic synthetic signals for property tests (the tool-generated clips are in <see cref="TestClips"/>).</summary>
public static class Signals
{
    /// <summary>
    /// A signal of <paramref name="length"/> samples from a seed: a mix of a sine, a random walk and jumps, at a
    /// level from quiet to past full scale (clipped), so every step index and both rails get exercised.
    /// </summary>
    public static short[] Mixed(int seed, int length)
    {
        var random = new Random(seed);
        double level = Math.Pow(2, random.Next(4, 17));
        double frequency = random.NextDouble() * 0.45;
        double walk = 0;
        var samples = new short[length];
        for (int i = 0; i < length; i++)
        {
            walk += (random.NextDouble() - 0.5) * level * 0.2;
            if (random.Next(64) == 0)
            {
                walk = (random.NextDouble() * 2 - 1) * level;
            }

            double value = Math.Sin(i * frequency * Math.PI) * level + walk;
            samples[i] = (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);
        }

        return samples;
    }

    /// <summary>The sum of squared differences between two signals over the given range.</summary>
    public static long SquaredError(short[] reference, int offset, short[] coded, int codedOffset, int count)
    {
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            long e = reference[offset + i] - coded[codedOffset + i];
            sum += e * e;
        }

        return sum;
    }
}
