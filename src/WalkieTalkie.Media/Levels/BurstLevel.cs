namespace WalkieTalkie.Media.Levels;

/// <summary>
/// Loudness of a burst, for telling a burst with something in it from a press of the button with nothing said.
/// The level is measured in 20 ms frames as the RMS after removing the frame's mean (a microphone's DC offset is
/// not sound), in dB relative to full scale (32768); a burst is silence when its loudest frame stays below the
/// threshold.
/// </summary>
public static class BurstLevel
{
    /// <summary>
    /// The default silence threshold, −50 dBFS (about 103 of 32768 RMS). Measured through the badge's ADPCM codec
    /// (tests/WalkieTalkie.Media.Tests/Levels): espeak-ng speech peaking at −3 dBFS has its loudest frame at −12 dBFS,
    /// and 30 dB quieter still at −42; digital silence gives the −120 floor, a DC offset of 300 about −105, white
    /// noise at −60 and −55 dBFS RMS (a quiet microphone's hiss) −59 and −54. See docs/voice-messages.md.
    /// </summary>
    public const double DefaultSilenceThresholdDbfs = -50;

    /// <summary>The level reported for a frame of all-equal samples.</summary>
    public const double Floor = -120;

    /// <summary>The loudest 20 ms frame's level in dBFS (<see cref="Floor"/> for no audio). A trailing partial frame counts when it is at least 5 ms.</summary>
    public static double LoudestFrameDbfs(ReadOnlySpan<short> pcm, int sampleRate)
    {
        int frame = sampleRate / 50;
        double loudest = Floor;
        for (int start = 0; start < pcm.Length; start += frame)
        {
            var slice = pcm[start..Math.Min(start + frame, pcm.Length)];
            if (slice.Length * 4 < frame && start > 0)
            {
                break;
            }

            loudest = Math.Max(loudest, Dbfs(slice));
        }

        return loudest;
    }

    /// <summary>True when no 20 ms frame reaches <paramref name="thresholdDbfs"/>.</summary>
    public static bool IsSilence(ReadOnlySpan<short> pcm, int sampleRate, double thresholdDbfs = DefaultSilenceThresholdDbfs)
        => LoudestFrameDbfs(pcm, sampleRate) < thresholdDbfs;

    private static double Dbfs(ReadOnlySpan<short> slice)
    {
        double sum = 0;
        foreach (short s in slice)
        {
            sum += s;
        }

        double mean = sum / slice.Length;
        double energy = 0;
        foreach (short s in slice)
        {
            double d = s - mean;
            energy += d * d;
        }

        double rms = Math.Sqrt(energy / slice.Length);
        return rms <= 0 ? Floor : Math.Max(Floor, 20 * Math.Log10(rms / 32768.0));
    }
}
