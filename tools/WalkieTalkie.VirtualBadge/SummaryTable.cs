using Spectre.Console;
using WalkieTalkie.Badge.Simulation;

namespace WalkieTalkie.VirtualBadge.Cli;

/// <summary>The end-of-run tables: one row per badge, then (for a few badges) one row per burst heard.</summary>
internal static class SummaryTable
{
    public static void Write(IAnsiConsole console, FleetSummary summary, bool perBurst)
    {
        var table = new Table().Border(TableBorder.Simple).Title($"[bold]{summary.Badges.Count} badge(s), {summary.Seconds:0.0} s[/]");
        foreach (var column in new[] { "badge", "mode", "talked", "sent", "heard", "received", "lost", "late", "dup", "concealed", "ms", "drops" })
        {
            table.AddColumn(column == "badge" ? new TableColumn(column).NoWrap() : new TableColumn(column).RightAligned());
        }

        foreach (var badge in summary.Badges)
        {
            var latencies = badge.Bursts.Where(b => b.MeanLatencyMs.HasValue).Select(b => b.MeanLatencyMs!.Value).ToList();
            table.AddRow(
                Markup.Escape(badge.BadgeId), badge.FinalMode.ToString(), badge.BurstsTalked.ToString(), badge.FramesSent.ToString(),
                badge.Bursts.Count.ToString(), badge.FramesReceived.ToString(), badge.FramesLost.ToString(), badge.FramesLate.ToString(),
                badge.FramesDuplicate.ToString(), badge.BlocksConcealed.ToString(),
                latencies.Count == 0 ? "-" : latencies.Average().ToString("0"), badge.InboxDropped.ToString());
        }

        table.Caption("talked: bursts; sent, received, lost, late, dup: frames; heard: bursts; concealed: blocks; ms: mean mouth-to-ear latency; drops: inbox");
        console.Write(table);
        if (!perBurst)
        {
            return;
        }

        var bursts = new Table().Border(TableBorder.Simple).Title("[bold]bursts heard[/]");
        foreach (var column in new[] { "badge", "burst", "ch", "replay", "whole", "received", "played", "lost", "concealed", "silent", "first", "mean", "max" })
        {
            bursts.AddColumn(column == "badge" ? new TableColumn(column).NoWrap() : new TableColumn(column).RightAligned());
        }

        foreach (var badge in summary.Badges)
        {
            foreach (var b in badge.Bursts)
            {
                bursts.AddRow(Markup.Escape(badge.BadgeId), b.BurstId.ToString(), b.Channel.ToString(), b.Replay ? "yes" : "", b.Complete ? "yes" : "no",
                    b.FramesReceived.ToString(), b.BlocksPlayed.ToString(), b.FramesLost.ToString(), b.BlocksConcealed.ToString(), b.BlocksSilent.ToString(),
                    Ms(b.FirstLatencyMs), Ms(b.MeanLatencyMs), Ms(b.MaxLatencyMs));
            }
        }

        bursts.Caption("played, concealed, silent: blocks; first, mean, max: mouth-to-ear ms (talker in this run, live bursts)");
        if (bursts.Rows.Count > 0)
        {
            console.Write(bursts);
        }
    }

    private static string Ms(double? value) => value.HasValue ? value.Value.ToString("0") : "-";
}
