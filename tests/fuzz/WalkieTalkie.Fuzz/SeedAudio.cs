namespace WalkieTalkie.Fuzz;

/// <summary>Audio for seeds: a falling tone with a little deterministic noise, so encoders produce varied codes.</summary>
internal static class SeedAudio
{
    public static short[] Tone(int count, int sampleRate)
    {
        var samples = new short[count];
        var random = new Random(count);
        for (var i = 0; i < count; i++)
        {
            var frequency = 900.0 - 600.0 * i / Math.Max(1, count);
            var value = 9000 * Math.Sin(2 * Math.PI * frequency * i / sampleRate) + random.Next(-400, 400);
            samples[i] = (short)Math.Clamp(value, short.MinValue, short.MaxValue);
        }

        return samples;
    }
}
