using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Recording;

namespace WalkieTalkie.Gateway.Engine;

// A channel this gateway comes to own may have been served by a gateway that died mid-burst: that burst's recording
// was left unfinished on the recordings folder the gateways share. The new owner recovers it (marked incomplete) as
// a restarted gateway recovers its own, so it is kept and bridged like any other (docs/scale.md, failover). The voice
// messages from Matrix waiting for the channel's floor, kept on the same folder, follow the lease too: the new owner
// plays them, and a gateway that lost the channel forgets them.
public sealed partial class GatewayEngine
{
    private const int StartedFromQueueKept = 256;

    private readonly HashSet<uint> _startedFromQueue = [];
    private readonly Queue<uint> _startedFromQueueOrder = new();
    private bool _lookingForQueued;

    /// <summary>The recordings left unfinished on the channels this gateway has just come to own are recovered (off the loop).</summary>
    private void RecoverTakenOverRecordings(List<byte> gained)
    {
        foreach (var channel in gained)
        {
            _storage.Recordings.RecoverTakenOver(channel);
        }
    }

    /// <summary>
    /// The voice messages waiting for the floor of the channels this gateway has just come to own, queued by whichever
    /// gateway owned them before (or by this one, before it lost them), wait here again in their order.
    /// </summary>
    private async Task RestoreTakenOverQueuedAudioAsync(List<byte> gained) =>
        RestoreQueuedAudio(await _storage.LoadQueuedAsync(gained, SkippedUnreadableQueued));

    /// <summary>
    /// The messages waiting for the floor of a channel whose lease this gateway lost are left on disk to its new owner,
    /// which plays them; this gateway forgets them.
    /// </summary>
    private void LeaveLostChannelsQueuedAudio()
    {
        foreach (var (channel, queue) in _audioQueues.ToArray())
        {
            if (!Serves(channel) && queue.Count > 0)
            {
                _logger.LogInformation("Lost the lease of channel {Channel}: its {Count} waiting voice messages are left to its new owner", channel, queue.Count);
                _audioQueues.Remove(channel);
            }
        }
    }

    /// <summary>
    /// Every second, the voice messages the bridge's gateway handed over for the channels this gateway owns are looked
    /// for on disk (off the loop; what is found comes back as a <see cref="FoundQueuedAudioEvent"/>). Those already
    /// waiting or played here are not read again.
    /// </summary>
    private void LookForHandedOverQueuedAudio()
    {
        if (_ownership.Alone || _lookingForQueued)
        {
            return;
        }

        var owned = _registry.Channels.Select(c => c.Number).Where(_ownership.Owns).ToList();
        if (owned.Count == 0)
        {
            return;
        }

        var known = _audioQueues.Values.SelectMany(q => q).Select(q => q.BurstId).Concat(_startedFromQueue).ToHashSet();
        _lookingForQueued = true;
        _ = LookAsync();

        async Task LookAsync()
        {
            var found = new List<QueuedMessageFile>();
            try
            {
                found = await _storage.LoadQueuedAsync(owned, SkippedUnreadableQueued, known);
            }
            catch (Exception e)
            {
                _logger.LogWarning("The queued voice messages could not be read: {Error}", e.Message);
            }

            Post(new FoundQueuedAudioEvent(found));
        }
    }

    private Task HandleFoundQueuedAudioAsync(FoundQueuedAudioEvent e)
    {
        _lookingForQueued = false;
        RestoreQueuedAudio(e.Messages.Where(m => Serves(m.Channel)).ToList());
        return Task.CompletedTask;
    }

    // The burst ids of the last messages started from a queue here, so that a file read just before its message started
    // (and deleted it) is not queued again.
    private void NoteStartedFromQueue(uint burstId)
    {
        if (_startedFromQueueOrder.Count == StartedFromQueueKept)
        {
            _startedFromQueue.Remove(_startedFromQueueOrder.Dequeue());
        }

        _startedFromQueue.Add(burstId);
        _startedFromQueueOrder.Enqueue(burstId);
    }

    private void SkippedUnreadableQueued(string path) => _logger.LogWarning("Skipped unreadable queued voice message {Path}", path);
}
