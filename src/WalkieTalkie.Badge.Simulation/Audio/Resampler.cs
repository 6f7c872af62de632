namespace WalkieTalkie.Badge.Simulation.Audio;

/// <summary>
/// Band-limited resampling between any two rates (windowed sinc, Blackman window, 16 zero crossings each side,
/// cut-off at 90 % of the lower Nyquist frequency). Offline and in floating point: this is the PC side.
/// </summary>
public static class Resampler
{
    private const int ZeroCrossings = 16;
    private const double CutoffFraction = 0.9;

    public static short[] Resample(short[] input, int fromRate, int toRate)
    {
        if (fromRate <= 0 || toRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fromRate), "sample rates must be positive");
        }

        if (fromRate == toRate)
        {
            return (short[])input.Clone();
        }

        var ratio = (double)toRate / fromRate;
        var outputCount = (int)((long)input.Length * toRate / fromRate);
        var output = new short[outputCount];
        // The filter's cut-off relative to the input's Nyquist frequency; downsampling narrows it to the output's.
        var cutoff = Math.Min(1.0, ratio) * CutoffFraction;
        var radius = ZeroCrossings / cutoff;
        for (var n = 0; n < outputCount; n++)
        {
            var center = n / ratio;
            var first = (int)Math.Ceiling(center - radius);
            var last = (int)Math.Floor(center + radius);
            double sum = 0;
            for (var k = Math.Max(first, 0); k <= last && k < input.Length; k++)
            {
                var x = k - center;
                sum += input[k] * cutoff * Sinc(cutoff * x) * Blackman(x / radius);
            }

            output[n] = (short)Math.Clamp(Math.Round(sum), short.MinValue, short.MaxValue);
        }

        return output;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    // Over -1..1: 1 at the centre, 0 at the ends.
    private static double Blackman(double t) => 0.42 + 0.5 * Math.Cos(Math.PI * t) + 0.08 * Math.Cos(2 * Math.PI * t);
}
