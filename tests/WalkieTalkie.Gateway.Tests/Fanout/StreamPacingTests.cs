using WalkieTalkie.Gateway.Bursts;

namespace WalkieTalkie.Gateway.Tests.Fanout;

/// <summary>A stream played out by the engine's loop, ticking every 20 ms: how many frames go out when.</summary>
public sealed class StreamPacingTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(40);

    /// <summary>Runs the loop as the engine does; returns the frames sent at each tick, skipping the stalled ticks.</summary>
    private static List<(TimeSpan At, int Sent)> Run(int frames, int lead, TimeSpan stallFrom, TimeSpan stallTo)
    {
        var ticks = new List<(TimeSpan, int)>();
        var due = Start;
        var cursor = 0;
        for (var at = TimeSpan.Zero; cursor < frames; at += TimeSpan.FromMilliseconds(20))
        {
            if (at >= stallFrom && at < stallTo)
            {
                continue;
            }

            var now = Start + at;
            while (cursor < frames && now >= due)
            {
                cursor++;
                due = StreamPacing.NextDue(cursor, lead, due, Frame, now);
            }

            ticks.Add((at, cursor));
        }

        return ticks;
    }

    private static double MostAhead(List<(TimeSpan At, int Sent)> ticks) =>
        ticks.Max(t => t.Sent - t.At / Frame);

    [Fact]
    public void The_lead_goes_out_at_once_then_one_frame_a_frame_duration()
    {
        var ticks = Run(125, lead: 4, TimeSpan.MaxValue, TimeSpan.MaxValue);
        Assert.Equal(4, ticks[0].Sent);
        Assert.Equal(5, ticks.First(t => t.At == TimeSpan.FromMilliseconds(40)).Sent);
        Assert.Equal(29, ticks.First(t => t.At == TimeSpan.FromSeconds(1)).Sent);
        Assert.True(MostAhead(ticks) <= 4);
        Assert.Equal(TimeSpan.FromMilliseconds((125 - 4) * 40), ticks[^1].At);
    }

    [Fact]
    public void Without_a_lead_each_frame_goes_out_when_its_time_comes()
    {
        var ticks = Run(125, lead: 1, TimeSpan.MaxValue, TimeSpan.MaxValue);
        Assert.Equal(1, ticks[0].Sent);
        Assert.True(MostAhead(ticks) <= 1);
    }

    [Fact]
    public void After_a_stalled_loop_the_stream_goes_on_from_then_and_never_floods_the_badge()
    {
        var ticks = Run(125, lead: 4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        var before = ticks.Last(t => t.At < TimeSpan.FromSeconds(1)).Sent;
        var after = ticks.First(t => t.At >= TimeSpan.FromSeconds(2)).Sent;
        Assert.Equal(2, after - before); // the frame due, and one more: not the 25 the stall held up
        Assert.True(MostAhead(ticks) <= 4);
        Assert.Equal(125, ticks[^1].Sent);
    }
}
