using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Status;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Status;

/// <summary>
/// Presence is written at most once a second, and nothing wakes the gateway for it while there is none to write: the
/// flush is armed by the first presence that waits, not every second for ever.
/// </summary>
public class StatusRecorderTimerTests
{
    [Fact]
    public async Task Nothing_is_armed_while_no_presence_waits()
    {
        var time = new ArmedFakeTime();
        var store = new PresenceWrites();
        await using var worker = new StorageWorker();
        var recorder = new StatusRecorder(store, worker, time);
        await recorder.StartAsync(CancellationToken.None);

        // The old flush was armed every second from the start.
        Assert.Equal(0, time.ArmedCount);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, time.ArmedCount);

        Observer(recorder).OnPresenceChanged(Presence("a", 1));
        Observer(recorder).OnPresenceChanged(Presence("b", 1));
        Observer(recorder).OnPresenceChanged(Presence("a", 2));
        Assert.Equal(1, time.ArmedCount);
        time.Advance(TimeSpan.FromMilliseconds(999));
        await worker.RunAsync(() => { });
        Assert.Empty(store.Writes);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await worker.RunAsync(() => { });
        var written = Assert.Single(store.Writes);
        Assert.Equal(["a:2", "b:1"], written.Select(p => $"{p.BadgeId}:{p.BatteryPercent}").Order());
        Assert.Equal(0, time.ArmedCount);

        // The next presence waits its second again, then nothing is armed.
        Observer(recorder).OnPresenceChanged(Presence("a", 3));
        Assert.Equal(1, time.ArmedCount);
        time.Advance(TimeSpan.FromSeconds(1));
        await worker.RunAsync(() => { });
        Assert.Equal(2, store.Writes.Count);
        Assert.Equal(0, time.ArmedCount);
        time.Advance(TimeSpan.FromSeconds(10));
        await worker.RunAsync(() => { });
        Assert.Equal(2, store.Writes.Count);
    }

    [Fact]
    public async Task What_waits_is_written_when_the_gateway_stops()
    {
        var time = new ArmedFakeTime();
        var store = new PresenceWrites();
        await using var worker = new StorageWorker();
        var recorder = new StatusRecorder(store, worker, time);
        await recorder.StartAsync(CancellationToken.None);

        Observer(recorder).OnPresenceChanged(Presence("a", 7));
        await recorder.StopAsync(CancellationToken.None);
        await worker.RunAsync(() => { });

        Assert.Equal("a", Assert.Single(Assert.Single(store.Writes)).BadgeId);
        Assert.Equal(0, time.ArmedCount);

        // Presence reported after the stop (the engine's last events) arms nothing.
        Observer(recorder).OnPresenceChanged(Presence("b", 7));
        Assert.Equal(0, time.ArmedCount);
    }

    private static IGatewayObserver Observer(StatusRecorder recorder) => recorder;

    private static PresenceRecord Presence(string badge, int battery) => new(badge, "online", 0, 0, battery, -50, "1.0");

    private sealed class PresenceWrites : IStatusStore
    {
        public List<IReadOnlyCollection<PresenceRecord>> Writes { get; } = [];

        public void SetPresence(IReadOnlyCollection<PresenceRecord> presences) => Writes.Add(presences);

        public void RecordDecision(FloorDecisionRecord decision) { }

        public void SetHolder(byte channel, string? badgeId, uint burstId, long sinceMs) { }

        public void ClearHolders() { }

        public IReadOnlyList<FloorHolderRecord> Holders() => [];

        public IReadOnlyList<FloorDecisionRecord> RecentDecisions(int count) => [];

        public IReadOnlyList<FloorDecisionRecord> Decisions(FloorLogQuery query) => [];

        public IReadOnlyList<PresenceRecord> Presence() => [];
    }
}
