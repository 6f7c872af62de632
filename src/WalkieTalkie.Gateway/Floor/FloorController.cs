using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Floor;

/// <summary>
/// The room lock of every channel this gateway serves: first come first served, a maximum talk time, a lease that
/// runs out when the holder's frames stop, and preemption by priority badges. Plain and single-threaded: the
/// engine calls it from its one loop, and tests drive it with a fake clock.
/// </summary>
public sealed class FloorController(TimeProvider time, FloorOptions options, IBurstIdSource burstIds)
{
    private readonly Dictionary<byte, FloorHold> _holds = new();
    private readonly Dictionary<string, DateTimeOffset> _coolDowns = new();

    public IReadOnlyCollection<FloorHold> Holds => _holds.Values;

    public FloorHold? Holder(byte channel) => _holds.GetValueOrDefault(channel);

    /// <summary>Decides a request. A grant that preempts someone carries the preempted burst's end.</summary>
    public FloorDecision Request(string badgeId, byte channel, FloorRequestContext context)
    {
        var now = time.GetUtcNow();
        if (!context.IsMember)
        {
            return FloorDecision.Deny(channel, badgeId, DenyReason.UnknownChannel);
        }

        if (!context.MayTalk)
        {
            return FloorDecision.Deny(channel, badgeId, DenyReason.NoPermit);
        }

        if (_coolDowns.TryGetValue(badgeId, out var coolUntil) && coolUntil > now && !(context.IsPriority && context.Emergency))
        {
            return FloorDecision.Deny(channel, badgeId, DenyReason.TooLong, (int)Math.Ceiling((coolUntil - now).TotalSeconds));
        }

        FloorEnd? preempted = null;
        if (_holds.TryGetValue(channel, out var hold))
        {
            if (hold.BadgeId == badgeId)
            {
                // A repeated request (the grant was lost): the same burst goes on.
                return new FloorDecision(channel, badgeId, true, hold.BurstId, 0, 0, null);
            }

            if (!MayPreempt(context, hold))
            {
                var left = Math.Max(1, (int)Math.Ceiling((hold.Deadline - now).TotalSeconds));
                return FloorDecision.Deny(channel, badgeId, DenyReason.Busy, left);
            }

            _holds.Remove(channel);
            preempted = new FloorEnd(channel, hold.BadgeId, hold.BurstId, EndReason.Preempted);
        }

        var burstId = burstIds.Next();
        var talk = TimeSpan.FromSeconds(Math.Max(1, context.MaxTalkSeconds));
        _holds[channel] = new FloorHold(channel, badgeId, burstId, context.IsPriority, now, now + talk);
        return new FloorDecision(channel, badgeId, true, burstId, 0, 0, preempted);
    }

    /// <summary>Time a played message's hold has beyond its length.</summary>
    public static readonly TimeSpan PlaybackSlack = TimeSpan.FromSeconds(10);

    /// <summary>A burst id for audio queued now and played later (its id is known before it has the floor).</summary>
    public uint ReserveBurstId() => burstIds.Next();

    /// <summary>
    /// Takes a free channel's floor for audio that does not come from a badge (a Matrix voice message) under its
    /// reserved burst id. Never preempts: false while anyone holds the channel. The hold is not a priority one, so a
    /// priority badge may cut it; its talk time is the audio's length plus <see cref="PlaybackSlack"/> (the engine's
    /// pace may slip when the machine stalls).
    /// </summary>
    public bool TakeForPlayback(byte channel, string talkerId, uint burstId, TimeSpan duration)
    {
        if (_holds.ContainsKey(channel))
        {
            return false;
        }

        var now = time.GetUtcNow();
        _holds[channel] = new FloorHold(channel, talkerId, burstId, false, now, now + duration + PlaybackSlack);
        return true;
    }

    // A priority badge cuts a non-priority talker; with the emergency flag it cuts anyone.
    private static bool MayPreempt(FloorRequestContext context, FloorHold hold) =>
        context.IsPriority && (!hold.Priority || context.Emergency);

    /// <summary>Notes a frame of the holder's burst; false when the frame is not the current holder's (drop it).</summary>
    public bool OnFrame(string badgeId, byte channel, uint burstId)
    {
        if (!_holds.TryGetValue(channel, out var hold) || hold.BadgeId != badgeId || hold.BurstId != burstId)
        {
            return false;
        }

        hold.LastFrame = time.GetUtcNow();
        return true;
    }

    /// <summary>The holder releases; returns the ended burst, or null when it did not hold that burst.</summary>
    public FloorEnd? Release(string badgeId, byte channel, uint burstId)
    {
        if (!_holds.TryGetValue(channel, out var hold) || hold.BadgeId != badgeId || (burstId != 0 && hold.BurstId != burstId))
        {
            return null;
        }

        _holds.Remove(channel);
        return new FloorEnd(channel, badgeId, hold.BurstId, EndReason.Released);
    }

    /// <summary>Ends the burst on a channel for a reason from outside the floor (a permit ended, shutdown).</summary>
    public FloorEnd? Revoke(byte channel, EndReason reason)
    {
        if (!_holds.Remove(channel, out var hold))
        {
            return null;
        }

        return new FloorEnd(channel, hold.BadgeId, hold.BurstId, reason);
    }

    /// <summary>Ends every burst whose talk time or lease ran out. Call it often (every 100 ms or so).</summary>
    public IReadOnlyList<FloorEnd> Expire()
    {
        var now = time.GetUtcNow();
        List<FloorEnd>? ended = null;
        foreach (var hold in _holds.Values)
        {
            EndReason? reason = null;
            if (now >= hold.Deadline)
            {
                reason = EndReason.MaxTalkTime;
                _coolDowns[hold.BadgeId] = now + TimeSpan.FromSeconds(options.CoolDownSeconds);
            }
            else if (now - (hold.LastFrame ?? hold.Since + TimeSpan.FromSeconds(options.FirstFrameGraceSeconds - options.LeaseSeconds))
                     >= TimeSpan.FromSeconds(options.LeaseSeconds))
            {
                reason = EndReason.LeaseLost;
            }

            if (reason is { } r)
            {
                (ended ??= []).Add(new FloorEnd(hold.Channel, hold.BadgeId, hold.BurstId, r));
            }
        }

        if (ended is null)
        {
            return [];
        }

        foreach (var end in ended)
        {
            _holds.Remove(end.Channel);
        }

        foreach (var (badge, until) in _coolDowns.ToArray())
        {
            if (until <= now)
            {
                _coolDowns.Remove(badge);
            }
        }

        return ended;
    }
}
