using System.Globalization;

namespace WalkieTalkie.Badge.Simulation;

/// <summary>A listener's blocks as CSV, one line a block (run milliseconds): where each block's latency came from.</summary>
public static class BlockTimeline
{
    /// <summary>Writes <paramref name="blocks"/> to <paramref name="path"/>.</summary>
    public static void Write(IEnumerable<HeardBlock> blocks, string path)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("result,sequence,block,spoken,sent,arrived,written,sounds,latency");
        foreach (var b in blocks)
        {
            writer.WriteLine(string.Join(',', b.Result, b.Sequence, b.Block, Ms(b.SpokenAtMs), Ms(b.SentAtMs), Ms(b.ArrivedAtMs), Ms(b.WrittenAtMs),
                Ms(b.SoundsAtMs), Ms(b.LatencyMs)));
        }
    }

    private static string Ms(double? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "";
}
