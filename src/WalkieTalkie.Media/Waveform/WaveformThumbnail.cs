namespace WalkieTalkie.Media.Waveform;

/// <summary>
/// The waveform Element shows on a voice message (MSC3246, <c>org.matrix.msc1767.audio.waveform</c>): 100 integers
/// 0..1024. Element Web measures each bar as the peak-to-peak amplitude of the samples, as a fraction of the full
/// range ((max − min) / 2 for samples in −1..1), and sends <c>round(v × 1024)</c>. We do the same over 100 equal
/// slices of the burst, each slice's extremes taken over all its samples (Element's recorder measures one
/// 128-sample render quantum at a fixed rate and resamples those values to 100, which is noisier for short bursts).
/// </summary>
public static class WaveformThumbnail
{
    /// <summary>Points Element sends (its THUMBNAIL_WAVEFORM_SAMPLES).</summary>
    public const int DefaultPoints = 100;

    /// <summary>The largest value of a point.</summary>
    public const int Scale = 1024;

    /// <summary>The waveform of <paramref name="pcm"/>: <paramref name="points"/> values 0..1024 (all 0 for no audio).</summary>
    public static int[] Compute(ReadOnlySpan<short> pcm, int points = DefaultPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(points);
        var waveform = new int[points];
        if (pcm.IsEmpty)
        {
            return waveform;
        }

        for (int i = 0; i < points; i++)
        {
            int start = (int)((long)i * pcm.Length / points);
            int end = Math.Max(start + 1, (int)((long)(i + 1) * pcm.Length / points));
            int min = short.MaxValue;
            int max = short.MinValue;
            foreach (short sample in pcm[start..Math.Min(end, pcm.Length)])
            {
                min = Math.Min(min, sample);
                max = Math.Max(max, sample);
            }

            double amplitude = (max - min) / 65535.0;
            waveform[i] = (int)Math.Clamp(Math.Round(amplitude * Scale), 0, Scale);
        }

        return waveform;
    }
}
