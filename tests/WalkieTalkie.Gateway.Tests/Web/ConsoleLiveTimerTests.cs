using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Web.Console;

namespace WalkieTalkie.Gateway.Tests.Web;

/// <summary>
/// The console's live overview wakes only while a browser watches: its coalescing timer is off with nobody
/// subscribed, on with the first browser, off again when the last one goes.
/// </summary>
public class ConsoleLiveTimerTests
{
    [Fact]
    public void The_coalescing_timer_runs_only_while_a_browser_watches()
    {
        var time = new ArmedTimers();
        using var live = new ConsoleLive(new CurrentRegistry(), new NoStatus(), new NoZones(), time);

        // Nobody watches: nothing armed (the old timer fired five times a second from the start).
        Assert.Equal(0, time.Armed);

        var first = live.Subscribe(() => null);
        Assert.Equal(1, time.Armed);
        var second = live.Subscribe(() => null);
        Assert.Equal(1, time.Armed);
        first.Dispose();
        Assert.Equal(1, time.Armed);
        second.Dispose();
        Assert.Equal(0, time.Armed);
        live.Subscribe(() => null);
        Assert.Equal(1, time.Armed);
    }

    /// <summary>Timers that never fire, counting those with a due time (armed).</summary>
    private sealed class ArmedTimers : TimeProvider
    {
        private readonly List<Entry> _timers = [];

        public int Armed => _timers.Count(t => t.Due != Timeout.InfiniteTimeSpan);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new Entry { Due = dueTime };
            _timers.Add(timer);
            return timer;
        }

        private sealed class Entry : ITimer
        {
            public TimeSpan Due { get; set; }

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                Due = dueTime;
                return true;
            }

            public void Dispose() => Due = Timeout.InfiniteTimeSpan;

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }

    private sealed class NoStatus : IStatusStore
    {
        public void RecordDecision(FloorDecisionRecord decision) { }

        public void SetHolder(byte channel, string? badgeId, uint burstId, long sinceMs) { }

        public void ClearHolders() { }

        public void SetPresence(IReadOnlyCollection<PresenceRecord> presences) { }

        public IReadOnlyList<FloorHolderRecord> Holders() => [];

        public IReadOnlyList<FloorDecisionRecord> RecentDecisions(int count) => [];

        public IReadOnlyList<FloorDecisionRecord> Decisions(FloorLogQuery query) => [];

        public IReadOnlyList<PresenceRecord> Presence() => [];
    }

    private sealed class NoZones : IZoneStore
    {
        public void Add(string zone, IReadOnlyList<string> bssids) { }

        public void Remove(string zone) { }

        public IReadOnlyList<ZoneAccessPoint> List() => [];

        public void SetLocation(string badgeId, string bssid, int rssi, long atMs) { }

        public IReadOnlyList<BadgeLocation> Locations() => [];

        public void ClearLocations() { }
    }
}
