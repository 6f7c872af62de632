using System.Buffers;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// What the broker does with a badge's publish (<see cref="EmbeddedBrokerLink"/>: bans, topic policy, size limit, flood
/// guard, then the engine): one method, called by the broker's publish interceptor and by a connection's fast path for
/// its own audio frames (<see cref="BadgeConnection"/>). <paramref name="kind"/> is the topic's kind under the policy,
/// <see cref="TopicKind.None"/> when refused; <paramref name="payload"/> may be kept (it is the packet's own array).
/// </summary>
public delegate void UplinkReceiver(string badgeId, string topic, TopicKind kind, ReadOnlySequence<byte> payload);
