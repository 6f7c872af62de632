namespace WalkieTalkie.Media.Bursts;

/// <summary>Mono 16-bit PCM of one talk burst and its rate.</summary>
/// <param name="Samples">The samples.</param>
/// <param name="SampleRate">Samples per second.</param>
public sealed record BurstAudio(short[] Samples, int SampleRate)
{
    /// <summary>The length in milliseconds, rounded to the nearest.</summary>
    public int DurationMilliseconds => (int)((Samples.LongLength * 1000 + SampleRate / 2) / SampleRate);
}
