using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Transports;

/// <summary>Where a transport hands what badges send: one call per accepted message or connection change.</summary>
public interface IUplinkSink
{
    /// <summary>A message a badge sent on one of its own uplink topics, already checked for size and rate.</summary>
    void OnUplink(string badgeId, TopicKind kind, byte[] payload);

    void OnConnected(string badgeId);

    void OnDisconnected(string badgeId);
}
