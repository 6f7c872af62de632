using System.Buffers;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// Takes a logged-in badge's uplink PUBLISH as its connection reads it, before MQTTnet's receive loop would: the same
/// policy and the same hand-over to the engine as the broker's publish interceptor, without the thread-pool hop MQTTnet
/// makes before every packet it reads (<see cref="BadgeConnection"/>).
/// </summary>
public interface IBadgeUplink
{
    /// <summary>
    /// Handles a QoS 0 PUBLISH the badge sent to <paramref name="topic"/>, as the interceptor would, refusals included. A
    /// <paramref name="payload"/> that is one whole array is the uplink's to keep: nothing else holds it.
    /// </summary>
    void Take(string badgeId, string topic, ReadOnlySequence<byte> payload);
}
