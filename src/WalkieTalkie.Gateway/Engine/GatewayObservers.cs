using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Logging;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Engine;

/// <summary>
/// Every <see cref="IGatewayObserver"/>: those registered with the services, and those that come and go (the Matrix
/// bridge starts after the engine and may restart). Each is called on its own: one that throws neither stops the
/// caller nor keeps the report from the others, and its failure is logged once per interval.
/// </summary>
public sealed class GatewayObservers
{
    private readonly ILogger _logger;
    private readonly LogLimiter _limiter;
    private IGatewayObserver[] _observers;

    public GatewayObservers(IEnumerable<IGatewayObserver> observers, TimeProvider time, ILogger<GatewayObservers> logger)
    {
        _observers = observers.ToArray();
        _logger = logger;
        _limiter = new LogLimiter(time, TimeSpan.FromSeconds(10));
    }

    /// <summary>Adds an observer until the returned handle is disposed.</summary>
    public IDisposable Add(IGatewayObserver observer)
    {
        Update(list => [.. list, observer]);
        return new Subscription(() => Update(list => list.Where(o => !ReferenceEquals(o, observer)).ToArray()));
    }

    public void OnFloorDecision(FloorDecisionRecord decision) => Each(o => o.OnFloorDecision(decision));

    public void OnBurstStarted(BurstInfo burst) => Each(o => o.OnBurstStarted(burst));

    /// <summary>Called for every frame: a plain loop, so that nothing is allocated per frame.</summary>
    public void OnBurstFrame(byte channel, uint burstId, byte[] frame)
    {
        foreach (var observer in Volatile.Read(ref _observers))
        {
            try
            {
                observer.OnBurstFrame(channel, burstId, frame);
            }
            catch (Exception e)
            {
                if (_limiter.ShouldLog(observer.GetType().FullName ?? "observer"))
                {
                    _logger.LogWarning("An observer ({Observer}) failed: {Error}", observer.GetType().Name, e.Message);
                }
            }
        }
    }

    public void OnBurstEnded(BurstInfo burst, EndReason reason) => Each(o => o.OnBurstEnded(burst, reason));

    public void OnBurstRecorded(RecordingRecord recording) => Each(o => o.OnBurstRecorded(recording));

    public void OnPresenceChanged(PresenceRecord presence) => Each(o => o.OnPresenceChanged(presence));

    public void OnBurstPlayed(string badgeId, uint burstId) => Each(o => o.OnBurstPlayed(badgeId, burstId));

    public void OnLowBattery(string badgeId, int percent) => Each(o => o.OnLowBattery(badgeId, percent));

    public void OnEmergencyOpened(EmergencyInfo emergency) => Each(o => o.OnEmergencyOpened(emergency));

    public void OnEmergencyClosed(string badgeId, string by) => Each(o => o.OnEmergencyClosed(badgeId, by));

    private void Each(Action<IGatewayObserver> report)
    {
        foreach (var observer in Volatile.Read(ref _observers))
        {
            try
            {
                report(observer);
            }
            catch (Exception e)
            {
                if (_limiter.ShouldLog(observer.GetType().FullName ?? "observer"))
                {
                    _logger.LogWarning("An observer ({Observer}) failed: {Error}", observer.GetType().Name, e.Message);
                }
            }
        }
    }

    private void Update(Func<IGatewayObserver[], IGatewayObserver[]> change)
    {
        while (true)
        {
            var before = Volatile.Read(ref _observers);
            if (Interlocked.CompareExchange(ref _observers, change(before), before) == before)
            {
                return;
            }
        }
    }

    private sealed class Subscription(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
