namespace WalkieTalkie.Benchmarks;

/// <summary>
/// A deterministic voice-like test signal: a pulse train whose pitch glides between 100 and 220 Hz, shaped
/// by two formant-like resonances, in syllables of about 200 ms with pauses, plus a little noise. Close
/// enough to speech for the codec's cost (which follows how often the step size moves), with no files.
/// </summary>
public static class SpeechLikeSignal
{
    public static short[] Generate(int sampleRate, int length)
    {
        var random = new Random(20261125);
        var samples = new short[length];
        double phase = 0;
        double y1 = 0, y2 = 0, z1 = 0, z2 = 0;
        for (int i = 0; i < length; i++)
        {
            double t = (double)i / sampleRate;
            double pitch = 160 + 60 * Math.Sin(2 * Math.PI * 0.7 * t);
            phase += pitch / sampleRate;
            double excitation = phase >= 1 ? 1 : 0;
            phase -= Math.Floor(phase);

            // Two resonators (about 700 Hz and 1800 Hz), as vowels have.
            double y = Resonator(excitation, 700, 0.97, sampleRate, ref y1, ref y2);
            double z = Resonator(excitation, 1800, 0.95, sampleRate, ref z1, ref z2);
            double syllable = Math.Max(0, Math.Sin(2 * Math.PI * 2.5 * t));
            double value = (y * 2500 + z * 1200) * syllable + (random.NextDouble() - 0.5) * 200;
            samples[i] = (short)Math.Clamp(value, short.MinValue, short.MaxValue);
        }

        return samples;
    }

    private static double Resonator(double input, double frequency, double radius, int sampleRate, ref double y1, ref double y2)
    {
        double y = input + 2 * radius * Math.Cos(2 * Math.PI * frequency / sampleRate) * y1 - radius * radius * y2;
        y2 = y1;
        y1 = y;
        return y;
    }
}
