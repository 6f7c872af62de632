using System.Collections.Concurrent;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Web.Walkie;

/// <summary>
/// What the web walkie shows live besides its own audio: who talks on each channel now, and each device's presence
/// (who is listening: awake badges and browsers). An engine observer; the page reads it (<c>GET /walkie/v1/live</c>).
/// </summary>
public sealed class LiveChannels : IGatewayObserver
{
    private readonly ConcurrentDictionary<byte, BurstInfo> _talking = new();
    private readonly ConcurrentDictionary<string, string> _presence = new(StringComparer.Ordinal);

    /// <summary>The burst on <paramref name="channel"/> now, or null.</summary>
    public BurstInfo? Talking(byte channel) => _talking.GetValueOrDefault(channel);

    /// <summary>A device's state as the engine reports it (<c>idle</c>, <c>listening</c>, <c>standby</c>, <c>offline</c>, …); offline when never seen.</summary>
    public string StateOf(string deviceId) => _presence.GetValueOrDefault(deviceId, "offline");

    void IGatewayObserver.OnBurstStarted(BurstInfo burst) => _talking[burst.Channel] = burst;

    void IGatewayObserver.OnBurstEnded(BurstInfo burst, EndReason reason) =>
        _talking.TryRemove(new KeyValuePair<byte, BurstInfo>(burst.Channel, burst));

    void IGatewayObserver.OnPresenceChanged(PresenceRecord presence) => _presence[presence.BadgeId] = presence.State;
}
