using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Permits;
using WalkieTalkie.Gateway.Presence;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Engine;

// Private replies: a badge answers the last talker it heard on a channel, and only them. The burst takes no channel
// floor (the channel stays free for everyone else) and goes to no observer that shows or bridges channel bursts; it is
// recorded, marked private (never sent to the channel's room, never replayed to anyone else), and reaches its one
// listener live or, asleep, quiet or busy, through its unplayed queue: the rules of any burst. A reply to a Matrix
// user is recorded for that user id (private_to holds it; badge ids never start with '@'): the bridge sends it to
// the direct room between the badge's account and that user.
public sealed partial class GatewayEngine
{
    private readonly LastTalkers _lastTalkers = new();
    private readonly Dictionary<uint, ActiveBurst> _replies = new();

    /// <summary>Notes who <paramref name="badgeId"/> hears on <paramref name="channel"/>, and keeps it when it changed.</summary>
    private void NoteLastTalker(string badgeId, byte channel, Talker talker)
    {
        if (_lastTalkers.Note(badgeId, channel, talker))
        {
            _storage.SetLastTalker(badgeId, channel, talker.Key, talker.MatrixUserId, Now.ToUnixTimeMilliseconds());
        }
    }

    private async Task RequestReplyAsync(string badgeId, ReplyRequest request)
    {
        var channel = _registry.Channel(request.Channel);
        var to = _lastTalkers.Of(badgeId, request.Channel);
        var refusal = channel is null || !_registry.Members(request.Channel).Contains(badgeId)
                || !PermitWatcher.MayTalk(_registry.EffectivePermits(badgeId, request.Channel, Now)) ? ReplyDenyReason.NoPermit
            : to is null ? ReplyDenyReason.NoOneToReply
            : !MayReach(to.Value, request.Channel) ? ReplyDenyReason.Unreachable
            : IsInBurst(badgeId) ? ReplyDenyReason.Busy
            : (ReplyDenyReason?)null;
        if (refusal is { } reason)
        {
            Decide(request.Channel, badgeId, "denied", "private reply: " + reason, 0);
            await SendAsync(badgeId, new ReplyDenied { Channel = request.Channel, Reason = reason });
            return;
        }

        var listener = to!.Value.IsBadge ? to.Value.Name : to.Value.MatrixUserId!;
        var burst = await StartReplyAsync(channel!, badgeId, listener);
        await SendAsync(badgeId, new ReplyGranted
        {
            Channel = request.Channel,
            BurstId = burst.BurstId,
            MaxTalkSeconds = (ushort)Math.Clamp(channel!.MaxTalkSeconds, 1, ushort.MaxValue),
            To = TalkerName(to.Value),
        });
    }

    /// <summary>
    /// A badge still in the channel with a receive right, or a Matrix sender whose user id the bridge told (one known
    /// by name only, as a voice message restored after a restart, has no direct room to be answered in).
    /// </summary>
    private bool MayReach(Talker to, byte channel) =>
        to.IsBadge ? _registry.Badge(to.Name) is not null && MayHear(to.Name, channel) : to.MatrixUserId is not null;

    /// <summary>True while the badge holds a channel's floor or talks privately.</summary>
    private bool IsInBurst(string badgeId) =>
        _floor.Holds.Any(h => h.BadgeId == badgeId) || _replies.Values.Any(r => r.Talker.Key == badgeId);

    private async Task<ActiveBurst> StartReplyAsync(ChannelRecord channel, string badgeId, string listener)
    {
        var now = Now;
        var burstId = _burstIds.Next();
        var talker = Talker.Badge(badgeId);
        var recording = _storage.Recordings.Start(burstId, channel.Number, talker, now, channel.SampleRate, privateTo: listener,
            maxTalkSeconds: channel.MaxTalkSeconds);
        var burst = new ActiveBurst(channel.Number, burstId, talker, SampleRate.FromHertz(channel.SampleRate), channel.SampleRate, false, now, recording)
        {
            PrivateTo = listener,
            Deadline = now + TimeSpan.FromSeconds(channel.MaxTalkSeconds),
        };
        _replies[burstId] = burst;
        Decide(channel.Number, badgeId, "granted", "private reply to " + listener, burstId);
        SetPresence(badgeId, PresenceState.Talking);
        if (!IsBadgeListener(listener))
        {
            return burst;
        }

        NoteLastTalker(listener, channel.Number, talker);
        if (_presence.Get(listener).CanHearLive && !HeldByQuiet(listener, channel.Number, alwaysHeard: false))
        {
            await SendAsync(listener, new ReplyIncoming { Channel = channel.Number, BurstId = burstId });
            await AddListenerAsync(listener, burst, late: false);
        }

        return burst;
    }

    /// <summary>A frame of a private reply, checked as a channel burst's frames are; false when the frame is not one.</summary>
    private async Task<bool> TryReplyFrameAsync(string badgeId, byte[] payload)
    {
        if (!_replies.TryGetValue(_frame.BurstId, out var burst) || burst.Talker.Key != badgeId)
        {
            return false;
        }

        if (_frame.Channel != burst.Channel || _frame.RateCode != burst.RateCode || FrameCheck.Problem(_frame, burst.BlockBytes) is not null)
        {
            if (_refusals.Refuse(badgeId, RefusalKind.Malformed))
            {
                _logger.LogWarning("Dropped malformed audio frame from badge {Badge} in private reply {BurstId}", badgeId, burst.BurstId);
            }

            return true;
        }

        burst.LastFrameAt = Now;
        await DeliverFrameAsync(burst, payload, _frame);
        return true;
    }

    /// <summary>The talker's <c>floor-release</c> of a private reply; false when the release is not for one.</summary>
    private async Task<bool> TryReleaseReplyAsync(string badgeId, FloorRelease release)
    {
        if (!_replies.TryGetValue(release.BurstId, out var burst) || burst.Talker.Key != badgeId)
        {
            return false;
        }

        await EndReplyAsync(burst, EndReason.Released, release.FrameCount);
        return true;
    }

    /// <summary>Private replies past their talk time, or whose frames stopped (the floor's limits, applied alike).</summary>
    private async Task ExpireRepliesAsync()
    {
        var now = Now;
        foreach (var burst in _replies.Values.ToArray())
        {
            var silentSince = burst.LastFrameAt ?? burst.StartedAt;
            var allowed = TimeSpan.FromSeconds(burst.LastFrameAt is null ? _floorOptions.FirstFrameGraceSeconds : _floorOptions.LeaseSeconds);
            if (now >= burst.Deadline)
            {
                await EndReplyAsync(burst, EndReason.MaxTalkTime, null);
            }
            else if (now - silentSince > allowed)
            {
                await EndReplyAsync(burst, EndReason.LeaseLost, null);
            }
        }
    }

    private async Task EndRepliesAsync()
    {
        foreach (var burst in _replies.Values.ToArray())
        {
            await SendAsync(burst.Talker, new FloorRevoked { Channel = burst.Channel, BurstId = burst.BurstId, Reason = EndReason.Released });
            await EndReplyAsync(burst, EndReason.Released, null);
        }
    }

    private async Task EndReplyAsync(ActiveBurst burst, EndReason reason, int? framesSent)
    {
        _replies.Remove(burst.BurstId);
        burst.Ended = true;
        burst.EndReason = reason;
        await _storage.Recordings.FinishAsync(burst.Recording!, framesSent, reason);
        Decide(burst.Channel, burst.Talker.Key, "ended", "private reply: " + reason, burst.BurstId);
        if (reason != EndReason.Released)
        {
            await SendAsync(burst.Talker, new FloorRevoked { Channel = burst.Channel, BurstId = burst.BurstId, Reason = reason });
        }

        if (_presence.Get(burst.Talker.Name).State == PresenceState.Talking)
        {
            SetPresence(burst.Talker.Name, PresenceState.Idle);
        }

        foreach (var listener in burst.LiveListeners)
        {
            await SendBurstEndAsync(listener, burst);
        }

        var to = burst.PrivateTo!;
        if (IsBadgeListener(to) && !burst.Reached.Contains(to))
        {
            _storage.QueueUnplayed(to, burst.BurstId, Now.ToUnixTimeMilliseconds());
            if (_presence.Get(to).State is not (PresenceState.Offline or PresenceState.Pocket))
            {
                await SendUnplayedListAsync(to);
            }
        }
    }

    /// <summary>A private reply's listener is a badge, or a Matrix user (whose id starts with '@').</summary>
    private static bool IsBadgeListener(string privateTo) => !privateTo.StartsWith('@');
}
