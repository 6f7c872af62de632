using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Gateway.Engine;

// Audio that does not come from a badge (Matrix voice messages): queued per channel, played through the floor as a
// burst of a virtual talker, at the pace a badge talks.
public sealed partial class GatewayEngine
{
    private readonly Dictionary<byte, Queue<QueuedAudio>> _audioQueues = new();
    private readonly Dictionary<byte, QueuedAudio> _audioPlaying = new();

    /// <summary>
    /// Queues ADPCM blocks at the channel's rate as a burst of <paramref name="talkerName"/> on the channel (its
    /// name, or its number). Returns the burst id once queued; the burst starts when the floor is free, after the
    /// messages queued before it. The sender's Matrix user id (null when unknown) is what a badge's private reply answers.
    /// The room event's id (null when the audio is no room event) names the message to the other sites of the channel's
    /// room: it is played once at each (see <c>GatewayEngine.Phones</c>).
    /// </summary>
    /// <exception cref="ArgumentException">No such channel, another sample rate, or blocks that are not playable.</exception>
    /// <exception cref="PlaybackQueueFullException">The channel has <see cref="GatewayOptions.MaxQueuedMessages"/> waiting.</exception>
    public Task<uint> QueueAudioAsync(string channel, IReadOnlyList<byte[]> blocks, int sampleRate, string talkerName, string? senderUserId,
        string? eventId, CancellationToken cancellationToken)
    {
        var queued = new QueueAudioEvent(channel, blocks, sampleRate, talkerName, senderUserId, eventId,
            new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously));
        Post(queued);
        return queued.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task HandleQueueAudioAsync(QueueAudioEvent e)
    {
        if (e.EventId is { } eventId && PlayedHere(eventId) is { } playedAs)
        {
            _logger.LogInformation("Voice message {Event} from {Talker} not queued: it played here already as burst {BurstId}", eventId, e.TalkerName, playedAs);
            e.Done.TrySetResult(playedAs);
            return;
        }

        QueuedAudio item;
        try
        {
            item = Enqueue(e);
        }
        catch (Exception ex)
        {
            if (ex is ArgumentException)
            {
                _logger.LogWarning("Voice message from {Talker} for channel {Channel} refused: {Reason}", e.TalkerName, e.Channel, ex.Message);
            }

            e.Done.TrySetException(ex);
            return;
        }

        // The caller's answer waits until the message is on disk (a restart must not lose what was accepted); a failure
        // to store it (disk full) is a transient one for the caller, and the message is not played.
        _ = ConfirmQueuedAsync(e, item);
        await StartQueuedAudioAsync(item.Channel);
    }

    private async Task ConfirmQueuedAsync(QueueAudioEvent e, QueuedAudio item)
    {
        try
        {
            await _storage.SaveQueuedAsync(item.BurstId, item.Channel, e.SampleRate, e.TalkerName, e.Blocks);
            e.Done.TrySetResult(item.BurstId);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Voice message from {Talker} for channel {Channel} not queued", e.TalkerName, e.Channel);
            Post(new DropQueuedAudioEvent(item));
            e.Done.TrySetException(ex);
        }
    }

    /// <summary>A voice message that could not be stored is not played (its sender was told it failed).</summary>
    private Task HandleDropQueuedAudioAsync(DropQueuedAudioEvent e)
    {
        if (_audioQueues.TryGetValue(e.Item.Channel, out var queue) && queue.Contains(e.Item))
        {
            _audioQueues[e.Item.Channel] = new Queue<QueuedAudio>(queue.Where(q => q != e.Item));
        }

        return Task.CompletedTask;
    }

    private QueuedAudio Enqueue(QueueAudioEvent e)
    {
        var channel = FindChannel(e.Channel) ?? throw new ArgumentException($"no channel {e.Channel}", nameof(e.Channel));
        if (e.SampleRate != channel.SampleRate)
        {
            throw new ArgumentException($"audio at {e.SampleRate} Hz for channel {channel.Name} at {channel.SampleRate} Hz", nameof(e.SampleRate));
        }

        BurstFrames.Check(e.Blocks);
        if (!_audioQueues.TryGetValue(channel.Number, out var queue))
        {
            _audioQueues[channel.Number] = queue = new Queue<QueuedAudio>();
        }

        if (queue.Count >= _options.MaxQueuedMessages)
        {
            _logger.LogWarning("Voice message from {Talker} for channel {Channel} not queued: {Count} messages already wait for its floor",
                e.TalkerName, channel.Number, queue.Count);
            throw new PlaybackQueueFullException($"channel {channel.Name} has {queue.Count} voice messages waiting");
        }

        var burstId = _floor.ReserveBurstId();
        var item = MakeQueued(channel, burstId, Talker.Matrix(e.TalkerName, e.SenderUserId), e.Blocks, e.EventId);
        if (!Serves(channel.Number))
        {
            // The bridge runs on another gateway than the channel's owner: the message is only kept on disk, where the
            // owner finds it (GatewayEngine.Takeover).
            _logger.LogInformation("Voice message from {Talker} for channel {Channel} handed to the channel's owner as burst {BurstId}: {Frames} frames",
                e.TalkerName, channel.Number, burstId, item.Frames.Count);
            return item;
        }

        queue.Enqueue(item);
        _logger.LogInformation("Voice message from {Talker} queued on channel {Channel} as burst {BurstId}: {Frames} frames, {Waiting} waiting",
            e.TalkerName, channel.Number, burstId, item.Frames.Count, queue.Count);
        return item;
    }

    private QueuedAudio MakeQueued(ChannelRecord channel, uint burstId, Talker talker, IReadOnlyList<byte[]> blocks, string? eventId = null)
    {
        var frames = BurstFrames.Cut(blocks, channel.Number, burstId, SampleRate.FromHertz(channel.SampleRate), _options.BlocksPerFrame);
        return new QueuedAudio(channel.Number, burstId, talker, frames, FrameDuration(frames[0], channel.SampleRate)) { EventId = eventId };
    }

    /// <summary>Messages that were waiting when the gateway stopped wait again, in their order, under their burst ids.</summary>
    private void RestoreQueuedAudio(List<QueuedMessageFile> waiting)
    {
        foreach (var message in waiting)
        {
            var channel = _registry.Channel(message.Channel);
            if (channel is null || channel.SampleRate != message.SampleRate || message.Blocks.Count == 0)
            {
                _logger.LogWarning("Voice message burst {BurstId} dropped: channel {Channel} is gone or changed its rate", message.BurstId, message.Channel);
                _storage.DeleteQueued(message.BurstId, message.Channel);
                continue;
            }

            if (!_audioQueues.TryGetValue(channel.Number, out var queue))
            {
                _audioQueues[channel.Number] = queue = new Queue<QueuedAudio>();
            }

            if (queue.Any(q => q.BurstId == message.BurstId) || _startedFromQueue.Contains(message.BurstId))
            {
                continue; // already waiting or played here (its file was read before it started)
            }

            var restored = MakeQueued(channel, message.BurstId, Talker.Matrix(message.TalkerName), message.Blocks);
            restored.WaitsForListenerUntil = Now + TimeSpan.FromSeconds(_options.RestoredMessageWaitSeconds);
            queue.Enqueue(restored);
            _logger.LogInformation("Voice message from {Talker} waits again on channel {Channel} as burst {BurstId}", message.TalkerName, channel.Number, message.BurstId);
        }
    }

    private bool AnyoneHearsLive(byte channel) =>
        _registry.Members(channel).Any(member => MayHear(member, channel) && _presence.Get(member).CanHearLive);

    private ChannelRecord? FindChannel(string channel) =>
        _registry.Channels.FirstOrDefault(c => c.Name == channel)
        ?? (byte.TryParse(channel, out var number) ? _registry.Channel(number) : null);

    /// <summary>Starts the channel's next message if this gateway serves the channel, its floor is free and nothing of ours plays there yet.</summary>
    private async Task StartQueuedAudioAsync(byte channelNumber)
    {
        if (!Serves(channelNumber) || _audioPlaying.ContainsKey(channelNumber) || !_audioQueues.TryGetValue(channelNumber, out var queue) || queue.Count == 0)
        {
            return;
        }

        var channel = _registry.Channel(channelNumber);
        if (channel is null)
        {
            foreach (var dropped in queue)
            {
                _logger.LogWarning("Voice message burst {BurstId} dropped: channel {Channel} no longer exists", dropped.BurstId, channelNumber);
                _storage.DeleteQueued(dropped.BurstId, channelNumber);
            }

            queue.Clear();
            return;
        }

        var next = queue.Peek();
        if (next.WaitsForListenerUntil is { } until && Now < until && !AnyoneHearsLive(channelNumber))
        {
            return;
        }

        if (HeldByAnotherSite(channelNumber, out _) || WaitsForOwner(next))
        {
            return;
        }

        if (!_floor.TakeForPlayback(channelNumber, next.Talker.Key, next.BurstId, next.Duration))
        {
            return;
        }

        queue.Dequeue();
        NoteStartedFromQueue(next.BurstId);
        Decide(channelNumber, next.Talker.Key, "granted", "voice message", next.BurstId);
        // One floor across the sites of the room, as for a badge's burst (it may lose a race there and be cut); claimed
        // before the burst starts, as a badge's is.
        await ClaimAcrossSitesAsync(channelNumber, next.Talker.Key, next.Talker.Name, next.BurstId);
        await StartBurstAsync(channel, next.Talker, priority: false, next.BurstId, eventId: next.EventId);
        next.NextDue = Now;
        _audioPlaying[channelNumber] = next;
        _storage.DeleteQueued(next.BurstId, channelNumber); // its recording (and the recordings row holding its id) took over
        NotePlayedHere(next.EventId, next.BurstId);
    }

    /// <summary>Sends every playing message's due frames as its talker would, ends the finished ones, starts waiting ones.</summary>
    private async Task PumpQueuedAudioAsync()
    {
        var now = Now;
        foreach (var playing in _audioPlaying.Values.ToArray())
        {
            if (!_bursts.TryGetValue(playing.Channel, out var burst) || burst.BurstId != playing.BurstId)
            {
                _audioPlaying.Remove(playing.Channel);
                continue;
            }

            while (playing.Cursor < playing.Frames.Count && now >= playing.NextDue)
            {
                var frame = playing.Frames[playing.Cursor++];
                _floor.OnFrame(playing.Talker.Key, playing.Channel, playing.BurstId);
                if (_frame.Read(frame, 0, frame.Length) == Protocol.ProtocolError.None)
                {
                    await DeliverFrameAsync(burst, frame, _frame);
                }
                // Played to the channel as live, like a talker's frames: no lead.
                playing.NextDue = StreamPacing.NextDue(playing.Cursor, 1, playing.NextDue, playing.FrameDuration, now);
            }

            if (playing.Cursor >= playing.Frames.Count)
            {
                _audioPlaying.Remove(playing.Channel);
                if (_floor.Release(playing.Talker.Key, playing.Channel, playing.BurstId) is { } end)
                {
                    await EndBurstAsync(end, playing.Frames.Count);
                }
            }
        }

        foreach (var channel in _audioQueues.Keys.ToArray())
        {
            await StartQueuedAudioAsync(channel);
        }
    }

    /// <summary>
    /// A message cut short (a priority badge took the floor, or the gateway stops): the recording gets the rest of
    /// its frames, so it holds the whole message, and every permitted badge, including those that heard the start,
    /// finds it in its unplayed list to hear it whole.
    /// </summary>
    private bool CompleteCutMessage(ActiveBurst burst)
    {
        if (!_audioPlaying.Remove(burst.Channel, out var playing) || playing.BurstId != burst.BurstId)
        {
            return false;
        }

        for (var i = playing.Cursor; i < playing.Frames.Count; i++)
        {
            _storage.Recordings.Append(burst.Recording!, playing.Frames[i]);
        }

        _logger.LogInformation("Voice message burst {BurstId} on channel {Channel} cut after {Sent} of {Frames} frames: queued whole for its listeners",
            burst.BurstId, burst.Channel, playing.Cursor, playing.Frames.Count);
        return true;
    }
}
