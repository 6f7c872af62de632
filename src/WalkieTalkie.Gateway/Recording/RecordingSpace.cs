namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// How much disk a burst's mapped recording (<see cref="MappedRecordingFile"/>) reserves: at first enough for the
/// channel's talk limit (up to <see cref="MostSecondsAhead"/>), then a step more whenever less than
/// <see cref="GrowWhenLeft"/> is left, so that the engine's thread seldom finds the file full. What is not used is
/// given back when the burst ends (the file is cut to its length).
/// </summary>
/// <param name="Initial">Bytes reserved when the file is made.</param>
/// <param name="Step">Bytes added each time it grows.</param>
/// <param name="GrowWhenLeft">The room under which the storage worker is asked to grow it.</param>
internal readonly record struct RecordingSpace(long Initial, long Step, long GrowWhenLeft)
{
    /// <summary>The most talk time reserved at once, whatever the channel's limit (65,535 s at 16 kHz would be 1 GB).</summary>
    public const int MostSecondsAhead = 120;

    private const int MarginSeconds = 5;
    private const int StepSeconds = 60;
    private const int GrowWhenLeftSeconds = 10;

    /// <summary>
    /// For a burst at <paramref name="sampleRate"/> on a channel whose talk limit is <paramref name="maxTalkSeconds"/> (0:
    /// not known). A byte a sample is twice the IMA ADPCM's half byte: room for the blocks' headers and the chunks'
    /// overhead at the block lengths badges use, and for a second of concealed loss; a longer burst grows the file.
    /// </summary>
    public static RecordingSpace For(int sampleRate, int maxTalkSeconds)
    {
        long perSecond = Math.Max(sampleRate, 8000);
        var seconds = maxTalkSeconds > 0 ? Math.Min(maxTalkSeconds, MostSecondsAhead) : StepSeconds;
        return new RecordingSpace(RecordingFormat.HeaderLength + (seconds + MarginSeconds) * perSecond, StepSeconds * perSecond,
            GrowWhenLeftSeconds * perSecond);
    }
}
