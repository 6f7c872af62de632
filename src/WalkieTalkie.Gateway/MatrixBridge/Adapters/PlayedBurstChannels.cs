using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.MatrixBridge.Adapters;

/// <summary>
/// The channel (by name) of a burst a badge played. Burst ids are gateway-wide: a recorded burst is found in the
/// recorder's <c>recordings</c>, a voice message from a room that the gateway played in the bridge's burst index.
/// </summary>
public sealed class PlayedBurstChannels(BridgeStores stores)
{
    /// <summary>The channel's name, or null when the burst is unknown (or its channel was removed).</summary>
    public string? ChannelOf(uint burstId)
    {
        if (stores.Recordings.Get(burstId) is { } recording)
        {
            return stores.Channels.List().FirstOrDefault(c => c.Number == recording.Channel)?.Name;
        }

        return stores.Index.Find(burstId)?.Channel;
    }
}
