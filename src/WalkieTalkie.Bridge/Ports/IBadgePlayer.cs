namespace WalkieTalkie.Bridge.Ports;

/// <summary>The gateway's floor and fan-out: plays audio from Matrix on a channel's permitted badges.</summary>
public interface IBadgePlayer
{
    /// <summary>
    /// Queues the audio as a burst on the channel, through the floor (it waits while someone talks) and for sleeping
    /// badges in their unplayed lists. Returns the burst id the badges will report in <c>played</c>. The sender's user id
    /// goes with it: a badge that answers privately answers that user. The room event's id names the message to the
    /// other gateways of the room, so that it is played once at each site (docs/bridge.md, "Phones across sites").
    /// </summary>
    ValueTask<uint> QueueAsync(string channel, ChannelAudio audio, string talkerName, string senderUserId, string eventId, CancellationToken cancellationToken);
}
