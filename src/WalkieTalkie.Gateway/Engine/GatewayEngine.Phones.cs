using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Bursts;

namespace WalkieTalkie.Gateway.Engine;

// A phone's voice message in a room that several sites serve reaches every site's bridge. It is played into the one
// floor at exactly one site, the owner of the room's incoming path: the lowest gateway id (ordinal) among this gateway
// and the peers linked for the room now, the same rule at every site. The owner plays it as any voice message,
// claims the floor across sites for it and relays it live (its room event id with it); another site keeps its copy
// queued until it has heard the owner's play live to its end, and plays it itself when it could not (the link
// dropped, its floor cut the remote burst, the owner never played it). A message that played here, either way, is
// never played here again.
public sealed partial class GatewayEngine
{
    private readonly PlayedVoiceMessages _playedMessages = new();

    private uint? PlayedHere(string eventId) => _playedMessages.BurstOf(eventId);

    private void NotePlayedHere(string? eventId, uint burstId)
    {
        if (eventId is not null)
        {
            _playedMessages.Note(eventId, burstId);
        }
    }

    /// <summary>
    /// True while the queued message at the head of its channel's queue is another site's to play: its room is shared,
    /// this site does not own the room's incoming path, and the owner has not yet had the floor free for
    /// <see cref="Sites.Floor.SiteFloorOptions.VoiceMessageOwnerWaitSeconds"/> without playing it.
    /// </summary>
    private bool WaitsForOwner(QueuedAudio next)
    {
        if (next.EventId is not { } eventId || next.PlaysHere || _sites?.RoomOf(next.Channel) is not { } room)
        {
            return false;
        }

        if (LiveVoiceMessage(eventId) is not null || _floor.Holder(next.Channel) is not null)
        {
            next.HeldForOwnerSince = null; // the owner's wait counts only while the floor is free
            return true;
        }

        var owner = OwnerOfIncoming(room);
        if (owner == _sites.OwnGatewayId)
        {
            return false;
        }

        if (next.HeldForOwnerSince is not { } since)
        {
            next.HeldForOwnerSince = Now;
            _logger.LogInformation("Voice message {Event} on channel {Channel} waits for gateway {Owner}, which plays the room's voice messages",
                eventId, next.Channel, owner);
            return true;
        }

        if (Now - since < TimeSpan.FromSeconds(_siteFloorOptions.VoiceMessageOwnerWaitSeconds))
        {
            return true;
        }

        _logger.LogWarning("Voice message {Event} on channel {Channel}: gateway {Owner} did not play it within {Seconds} s of a free floor; played here",
            eventId, next.Channel, owner, _siteFloorOptions.VoiceMessageOwnerWaitSeconds);
        next.PlaysHere = true;
        return false;
    }

    /// <summary>The gateway that plays a shared room's voice messages from Matrix: the lowest id among this one and its linked peers there.</summary>
    private string OwnerOfIncoming(string room)
    {
        var owner = _sites!.OwnGatewayId;
        foreach (var peer in _sites.LinkedPeers(room))
        {
            if (string.CompareOrdinal(peer, owner) < 0)
            {
                owner = peer;
            }
        }

        return owner;
    }

    /// <summary>The remote burst playing here now that carries the voice message <paramref name="eventId"/>, if any.</summary>
    private ActiveBurst? LiveVoiceMessage(string eventId)
    {
        foreach (var burst in _remoteBursts.Values)
        {
            if (!burst.Ended && burst.EventId == eventId)
            {
                return burst;
            }
        }

        return null;
    }

    /// <summary>A remote burst played here from its first frame (not joined late, after a floor busy here).</summary>
    private bool HeardFromItsStart(ActiveBurst burst) =>
        burst.Frames.Count > 0 && _frame.Read(burst.Frames[0], 0, burst.Frames[0].Length) == Protocol.ProtocolError.None && _frame.Sequence == 0;

    /// <summary>
    /// Another site's play of a voice message ended here: heard whole, it counts as played here and the copy queued
    /// here (if the bridge delivered it yet) is dropped; cut, the queued copy plays here.
    /// </summary>
    private void OnLiveVoiceMessageEnded(ActiveBurst burst, bool wholeHere)
    {
        if (burst.EventId is not { } eventId)
        {
            return;
        }

        if (!wholeHere)
        {
            PlayHereInstead(burst.Channel, eventId, "its live play from site " + burst.Talker.Site + " was cut here");
            return;
        }

        NotePlayedHere(eventId, burst.BurstId);
        if (!_audioQueues.TryGetValue(burst.Channel, out var queue))
        {
            return;
        }

        foreach (var copy in queue.Where(q => q.EventId == eventId).ToArray())
        {
            _storage.DeleteQueued(copy.BurstId, copy.Channel);
            _logger.LogInformation("Voice message {Event} (burst {BurstId}) heard live from site {Site}: not played again", eventId, copy.BurstId, burst.Talker.Site);
        }

        _audioQueues[burst.Channel] = new Queue<QueuedAudio>(queue.Where(q => q.EventId != eventId));
    }

    private void PlayHereInstead(byte channel, string eventId, string why)
    {
        if (!_audioQueues.TryGetValue(channel, out var queue))
        {
            return;
        }

        foreach (var copy in queue.Where(q => q.EventId == eventId && !q.PlaysHere))
        {
            copy.PlaysHere = true;
            _logger.LogInformation("Voice message {Event} (burst {BurstId}) plays here: {Why}", eventId, copy.BurstId, why);
        }
    }
}
