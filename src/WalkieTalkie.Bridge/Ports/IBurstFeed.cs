using WalkieTalkie.Bridge.Outgoing;

namespace WalkieTalkie.Bridge.Ports;

/// <summary>
/// The gateway recorder's finished bursts, per channel, oldest first, delivered again until acknowledged (so a
/// burst survives a restart of the gateway until the bridge has handed it to the outbox).
/// </summary>
public interface IBurstFeed
{
    /// <summary>The oldest finished burst of the channel not yet acknowledged, or null.</summary>
    ValueTask<FinishedBurst?> PeekAsync(string channel, CancellationToken cancellationToken);

    /// <summary>The bridge is done with the burst (in the outbox, or skipped): never deliver it again. Durable when it returns.</summary>
    ValueTask AcknowledgeAsync(FinishedBurst burst, CancellationToken cancellationToken);
}
