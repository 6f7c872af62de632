using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Transports;

/// <summary>Where the engine's uplink arrives: one call per accepted message or connection change.</summary>
public interface IUplinkSink
{
    /// <summary>A message a badge published on one of its own <c>up/</c> topics, already checked for size and rate.</summary>
    void OnUplink(string badgeId, TopicKind kind, byte[] payload);

    void OnConnected(string badgeId);

    void OnDisconnected(string badgeId);
}

/// <summary>
/// The gateway's side of MQTT: the embedded broker or a client of an external broker. Downlink payloads are
/// published as given (the same array to every listener of a burst); the link never copies them.
/// </summary>
public interface IBadgeLink : IAsyncDisposable
{
    Task StartAsync(IUplinkSink sink, CancellationToken cancellationToken);

    /// <summary>A control message on the badge's <c>down/ctl</c> (QoS 1).</summary>
    Task SendControlAsync(string badgeId, byte[] payload);

    /// <summary>An audio frame on the badge's <c>down/audio</c> (QoS 0).</summary>
    Task SendAudioAsync(string badgeId, byte[] payload);

    Task StopAsync();
}
