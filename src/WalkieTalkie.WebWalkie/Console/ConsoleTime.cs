namespace WalkieTalkie.WebWalkie.Console;

/// <summary>Times as the console shows them: the browser's local time (it reports its offset from UTC).</summary>
public static class ConsoleTime
{
    public static string Clock(long unixMs, TimeSpan offset) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToOffset(offset).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    public static string Seconds(long ms) => (ms / 1000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
