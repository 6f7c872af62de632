using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Presence;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Engine;

// A voice message a Matrix user sends in their direct room with a badge: a private burst for that badge alone. It is
// recorded whole (marked private to the badge) and put in the badge's unplayed queue, which the badge plays from
// (with reply-incoming before its burst-start, as for a badge's private reply); the channel's floor is not touched.
public sealed partial class GatewayEngine
{
    /// <summary>
    /// Plays ADPCM blocks at the channel's rate on one badge only, as a private burst of the Matrix user. Returns the
    /// burst id once its recording is final and queued for the badge.
    /// </summary>
    /// <exception cref="ArgumentException">No such badge or channel, the badge may not hear the channel, another sample rate, or blocks that are not playable.</exception>
    public Task<uint> QueuePrivateAudioAsync(string badgeId, byte channel, IReadOnlyList<byte[]> blocks, int sampleRate, string talkerName,
        string senderUserId, CancellationToken cancellationToken)
    {
        var queued = new PrivateAudioEvent(badgeId, channel, blocks, sampleRate, Talker.Matrix(talkerName, senderUserId),
            new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously));
        Post(queued);
        return queued.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task HandlePrivateAudioAsync(PrivateAudioEvent e)
    {
        try
        {
            e.Done.TrySetResult(await RecordPrivateAudioAsync(e));
        }
        catch (Exception ex)
        {
            _logger.LogWarning("Private voice message from {Talker} for badge {Badge} not played: {Reason}", e.Talker.Name, e.BadgeId, ex.Message);
            e.Done.TrySetException(ex);
        }
    }

    private async Task<uint> RecordPrivateAudioAsync(PrivateAudioEvent e)
    {
        var channel = _registry.Channel(e.Channel) ?? throw new ArgumentException($"no channel {e.Channel}", nameof(e.Channel));
        if (_registry.Badge(e.BadgeId) is null || !MayHear(e.BadgeId, e.Channel))
        {
            throw new ArgumentException($"badge {e.BadgeId} may not hear channel {e.Channel}", nameof(e.BadgeId));
        }

        if (e.SampleRate != channel.SampleRate)
        {
            throw new ArgumentException($"audio at {e.SampleRate} Hz for channel {channel.Name} at {channel.SampleRate} Hz", nameof(e.SampleRate));
        }

        BurstFrames.Check(e.Blocks);
        var burstId = _burstIds.Next();
        var frames = BurstFrames.Cut(e.Blocks, channel.Number, burstId, SampleRate.FromHertz(channel.SampleRate), _options.BlocksPerFrame);
        var recording = _storage.Recordings.Start(burstId, channel.Number, e.Talker, Now, channel.SampleRate, privateTo: e.BadgeId);
        if (_frame.Read(frames[0], 0, frames[0].Length) == Protocol.ProtocolError.None)
        {
            _storage.Recordings.SetLayout(recording, _frame.BlockBytes, _frame.BlockCount);
        }

        foreach (var frame in frames)
        {
            _storage.Recordings.Append(recording, frame);
        }

        await _storage.Recordings.FinishAsync(recording, frames.Count, EndReason.Released);
        Decide(channel.Number, e.Talker.Key, "queued", "private voice message to " + e.BadgeId, burstId);
        NoteLastTalker(e.BadgeId, channel.Number, e.Talker);
        _storage.QueueUnplayed(e.BadgeId, burstId, Now.ToUnixTimeMilliseconds());
        if (_presence.Get(e.BadgeId).State is not (PresenceState.Offline or PresenceState.Pocket))
        {
            await SendUnplayedListAsync(e.BadgeId);
        }

        return burstId;
    }
}
