namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// How the engine reaches badges: start (handing over where uplink goes), send control and audio by badge id, stop.
/// Downlink payloads are sent as given (the same array to every listener of a burst); a link never copies them.
/// </summary>
public interface IBadgeLink : IAsyncDisposable
{
    Task StartAsync(IUplinkSink sink, CancellationToken cancellationToken);

    /// <summary>A control message to the badge (reliable: QoS 1 on MQTT).</summary>
    Task SendControlAsync(string badgeId, byte[] payload);

    /// <summary>An audio frame to the badge (best effort: QoS 0 on MQTT; late audio is useless).</summary>
    Task SendAudioAsync(string badgeId, byte[] payload);

    /// <summary>
    /// An audio frame to the badge, one of <paramref name="audience"/> badges the same frame goes to now: a link that
    /// hands frames for many listeners to other threads may write to a small audience on the caller's thread instead,
    /// rather than wake another thread for each frame.
    /// </summary>
    Task SendAudioAsync(string badgeId, byte[] payload, int audience) => SendAudioAsync(badgeId, payload);

    Task StopAsync();
}
