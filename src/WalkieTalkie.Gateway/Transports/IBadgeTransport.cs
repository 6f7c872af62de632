namespace WalkieTalkie.Gateway.Transports;

/// <summary>
/// One way badges connect (MQTT on the embedded or an external broker; in tests, memory). The engine sees all of them
/// as one <see cref="IBadgeLink"/>, the <see cref="CompositeBadgeLink"/>.
/// </summary>
public interface IBadgeTransport : IBadgeLink
{
    /// <summary>A short name for logs ("mqtt", "memory").</summary>
    string Name { get; }
}
