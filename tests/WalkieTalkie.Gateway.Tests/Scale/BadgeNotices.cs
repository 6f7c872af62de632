using System.Collections.Concurrent;
using WalkieTalkie.Gateway.Engine;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>What one gateway announced of a badge's own events (the notices the Matrix bridge and the status tables act on).</summary>
public sealed class BadgeNotices : IGatewayObserver
{
    public ConcurrentQueue<string> EmergenciesOpened { get; } = new();

    public ConcurrentQueue<(string BadgeId, string By)> EmergenciesClosed { get; } = new();

    public ConcurrentQueue<string> LowBatteries { get; } = new();

    public void OnEmergencyOpened(EmergencyInfo emergency) => EmergenciesOpened.Enqueue(emergency.BadgeId);

    public void OnEmergencyClosed(string badgeId, string by) => EmergenciesClosed.Enqueue((badgeId, by));

    public void OnLowBattery(string badgeId, int percent) => LowBatteries.Enqueue(badgeId);
}
