namespace WalkieTalkie.Badge.Simulation;

/// <summary>A channel the badge belongs to until the gateway's <c>config</c> says otherwise.</summary>
/// <param name="Number">The channel's number on the gateway (0-255).</param>
/// <param name="SampleRate">8000 or 16000 Hz.</param>
public sealed record VirtualChannel(byte Number, int SampleRate = 8000)
{
    /// <summary>Parses <c>N</c> or <c>N:RATE</c> (for example <c>1</c>, <c>2:16000</c>).</summary>
    public static VirtualChannel Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length > 2 || !byte.TryParse(parts[0], out var number))
        {
            throw new VirtualBadgeException($"channel '{text}': expected N or N:RATE with N 0-255");
        }

        var rate = 8000;
        if (parts.Length == 2 && (!int.TryParse(parts[1], out rate) || (rate != 8000 && rate != 16000)))
        {
            throw new VirtualBadgeException($"channel '{text}': the rate must be 8000 or 16000");
        }

        return new VirtualChannel(number, rate);
    }

    internal byte RateCode => SampleRate == 16000 ? Protocol.Audio.SampleRate.Wideband : Protocol.Audio.SampleRate.Narrowband;
}
