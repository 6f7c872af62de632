using System.Diagnostics;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>
/// Notes when each renewal of a gateway's leases was asked and how long the database took to answer it, so that a test
/// can tell a renewal held back (asked late) from one the database answered late.
/// </summary>
public sealed class TimedLeases(IChannelLeases inner) : IChannelLeases
{
    private readonly List<Call> _channels = [];
    private readonly List<Call> _bridge = [];

    public IReadOnlySet<byte> Hold(IReadOnlyCollection<byte> channels, TimeSpan duration) => Timed(_channels, () => inner.Hold(channels, duration));

    public bool HoldBridge(TimeSpan duration) => Timed(_bridge, () => inner.HoldBridge(duration));

    public void Release() => inner.Release();

    /// <summary>The channels' renewals between two timestamps (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public Renewals ChannelRenewals(long from, long until) => Between(_channels, from, until);

    /// <summary>The bridge lease's renewals between two timestamps.</summary>
    public Renewals BridgeRenewals(long from, long until) => Between(_bridge, from, until);

    private static T Timed<T>(List<Call> calls, Func<T> call)
    {
        var asked = Stopwatch.GetTimestamp();
        try
        {
            return call();
        }
        finally
        {
            var answered = Stopwatch.GetTimestamp();
            lock (calls)
            {
                calls.Add(new Call(asked, answered));
            }
        }
    }

    // Each gap runs from one call's answer to the next call's question (or to the end): how long the renewing thread
    // was held back outside the database. The first gap starts at the last answer before the window.
    private static Renewals Between(List<Call> calls, long from, long until)
    {
        Call[] all;
        lock (calls)
        {
            all = [.. calls];
        }

        var inside = all.Where(c => c.Asked >= from && c.Asked <= until).ToArray();
        var previousAnswer = all.Where(c => c.Asked < from).Select(c => c.Answered).DefaultIfEmpty(from).Max();
        var heldBack = 0.0;
        foreach (var call in inside)
        {
            heldBack = Math.Max(heldBack, Milliseconds(call.Asked - previousAnswer));
            previousAnswer = Math.Max(previousAnswer, call.Answered);
        }

        heldBack = Math.Max(heldBack, Milliseconds(until - previousAnswer));
        var longestCall = inside.Select(c => Milliseconds(c.Answered - c.Asked)).DefaultIfEmpty(0).Max();
        var longestBetween = inside.Zip(inside.Skip(1), (a, b) => Milliseconds(b.Asked - a.Asked)).DefaultIfEmpty(0).Max();
        return new Renewals(inside.Length, heldBack, longestCall, longestBetween);
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private sealed record Call(long Asked, long Answered);

    /// <summary>How many renewals were asked, the longest the renewing thread was held back outside a call, the longest
    /// call and the longest time between two renewals asked (ms).</summary>
    public sealed record Renewals(int Count, double LongestHeldBack, double LongestCall, double LongestBetween)
    {
        public override string ToString() =>
            $"{Count} renewals asked, every {LongestBetween:0} ms at most, held back {LongestHeldBack:0} ms at most outside the database, the longest call {LongestCall:0} ms";
    }
}
