using WalkieTalkie.Bridge.Outgoing;

namespace WalkieTalkie.Gateway.Storage.Bridge;

/// <summary>A badge's finished private reply to a Matrix user, waiting to be sent to their direct room.</summary>
/// <param name="Burst">The recording, as a channel burst is offered to the bridge.</param>
/// <param name="ChannelNumber">The channel the badge replied on.</param>
/// <param name="UserId">The Matrix user it answers.</param>
public sealed record DirectReply(FinishedBurst Burst, byte ChannelNumber, string UserId);

/// <summary>
/// Finished private replies to Matrix users, oldest first, delivered again until acknowledged (so that a reply survives
/// a restart, or the homeserver being away, until it is in the badge's outbox).
/// </summary>
public interface IDirectReplyFeed
{
    /// <summary>The oldest unacknowledged reply, or null.</summary>
    DirectReply? Peek();

    /// <summary>The reply is in the outbox (or cannot be sent): never deliver it again. Durable when it returns.</summary>
    void Acknowledge(DirectReply reply);
}
