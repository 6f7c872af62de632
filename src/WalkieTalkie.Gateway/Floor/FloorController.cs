using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Floor;

/// <summary>
/// The room lock of every channel this gateway serves: first come first served, a maximum talk time, a lease that
/// runs out when the holder's frames stop, and preemption by priority badges. A badge cannot keep a channel by
/// releasing and asking again: bursts it starts within the cool-down of its last one are one turn against the talk
/// limit, and when someone was denied while it talked, it must let them go first for <see cref="FloorOptions.HoldOffSeconds"/>.
/// Plain and single-threaded: the engine calls it from its one loop, and tests drive it with a fake clock.
/// </summary>
public sealed class FloorController(TimeProvider time, FloorOptions options, IBurstIdSource burstIds)
{
    private readonly Dictionary<byte, FloorHold> _holds = new();
    private readonly Dictionary<string, DateTimeOffset> _coolDowns = new();
    private readonly Dictionary<(string Badge, byte Channel), TalkTurn> _turns = new();
    private readonly Dictionary<byte, HoldOff> _holdOffs = new();

    private TimeSpan CoolDown => TimeSpan.FromSeconds(options.CoolDownSeconds);

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

        var emergency = context.IsPriority && context.Emergency || context.Sos;
        if (_coolDowns.TryGetValue(badgeId, out var coolUntil) && coolUntil > now && !emergency)
        {
            return FloorDecision.Deny(channel, badgeId, DenyReason.TooLong, (int)Math.Ceiling((coolUntil - now).TotalSeconds));
        }

        _holds.TryGetValue(channel, out var hold);
        if (hold?.BadgeId == badgeId)
        {
            // A repeated request (the grant was lost): the same burst goes on.
            return new FloorDecision(channel, badgeId, true, hold.BurstId, 0, 0, null);
        }

        if (_holdOffs.TryGetValue(channel, out var holdOff) && holdOff.BadgeId == badgeId && holdOff.Until > now && !emergency)
        {
            return FloorDecision.Deny(channel, badgeId, DenyReason.Busy, SecondsUntil(holdOff.Until, now));
        }

        var maxTalk = TimeSpan.FromSeconds(Math.Max(1, context.MaxTalkSeconds));
        var talked = TalkedThisTurn(badgeId, channel, now, out var lastEnd);
        if (maxTalk - talked < MinimumTalk && !emergency)
        {
            // The turn's talk time is used up by quick re-requests: the cool-down runs from its last burst.
            return FloorDecision.Deny(channel, badgeId, DenyReason.TooLong, SecondsUntil(lastEnd + CoolDown, now));
        }

        FloorEnd? preempted = null;
        if (hold is not null)
        {
            if (!MayPreempt(context, hold))
            {
                hold.OthersWaited = true;
                return FloorDecision.Deny(channel, badgeId, DenyReason.Busy, SecondsUntil(hold.Deadline, now));
            }

            _holds.Remove(channel);
            Ended(hold, now, EndReason.Preempted);
            preempted = new FloorEnd(channel, hold.BadgeId, hold.BurstId, EndReason.Preempted);
        }

        if (emergency && maxTalk - talked < MinimumTalk)
        {
            talked = TimeSpan.Zero;
        }

        _holdOffs.Remove(channel);
        var burstId = burstIds.Next();
        _holds[channel] = new FloorHold(channel, badgeId, burstId, context.IsPriority || context.Sos, now, now + maxTalk - talked)
        {
            TalkedBefore = talked,
            Sos = context.Sos,
        };
        return new FloorDecision(channel, badgeId, true, burstId, 0, 0, preempted);
    }

    /// <summary>A grant shorter than this is not worth the tones: the turn is treated as used up.</summary>
    private static readonly TimeSpan MinimumTalk = TimeSpan.FromSeconds(1);

    private static int SecondsUntil(DateTimeOffset until, DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((until - now).TotalSeconds));

    // The talk time of the badge's current turn on the channel: its bursts that each began within the cool-down of the last one's end.
    private TimeSpan TalkedThisTurn(string badgeId, byte channel, DateTimeOffset now, out DateTimeOffset lastEnd)
    {
        if (_turns.TryGetValue((badgeId, channel), out var turn) && now - turn.LastEnd < CoolDown)
        {
            lastEnd = turn.LastEnd;
            return turn.Talked;
        }

        lastEnd = now;
        return TimeSpan.Zero;
    }

    // Every end of a hold passes here: the turn's talk time, the cool-down after a cut, the hold-off when others waited.
    private void Ended(FloorHold hold, DateTimeOffset now, EndReason reason)
    {
        var key = (hold.BadgeId, hold.Channel);
        if (reason == EndReason.MaxTalkTime)
        {
            _coolDowns[hold.BadgeId] = now + CoolDown;
            _turns.Remove(key);
        }
        else
        {
            _turns[key] = new TalkTurn(hold.TalkedBefore + (now - hold.Since), now);
        }

        if (hold.OthersWaited && options.HoldOffSeconds > 0)
        {
            _holdOffs[hold.Channel] = new HoldOff(hold.BadgeId, now + TimeSpan.FromSeconds(options.HoldOffSeconds));
        }
    }

    /// <summary>Time a played message's hold has beyond its length.</summary>
    public static readonly TimeSpan PlaybackSlack = TimeSpan.FromSeconds(10);

    /// <summary>A burst id for audio queued now and played later (its id is known before it has the floor).</summary>
    public uint ReserveBurstId() => burstIds.Next();

    /// <summary>
    /// Takes a free channel's floor for audio that does not come from a badge (a Matrix voice message) under its
    /// reserved burst id. Never preempts: false while anyone holds the channel. The hold is not a priority one, so a
    /// priority badge may cut it, unless it is another site's emergency (<paramref name="sos"/>: nobody cuts it, as a
    /// local SOS); its talk time is the audio's length plus <see cref="PlaybackSlack"/> (the engine's pace may slip when
    /// the machine stalls).
    /// </summary>
    public bool TakeForPlayback(byte channel, string talkerId, uint burstId, TimeSpan duration, bool sos = false)
    {
        if (_holds.ContainsKey(channel))
        {
            return false;
        }

        var now = time.GetUtcNow();
        _holds[channel] = new FloorHold(channel, talkerId, burstId, sos, now, now + duration + PlaybackSlack) { Sos = sos };
        return true;
    }

    // A priority badge cuts a non-priority talker; with the emergency flag it cuts anyone but an open emergency; an
    // open emergency (SOS) cuts anyone but another one.
    private static bool MayPreempt(FloorRequestContext context, FloorHold hold) =>
        !hold.Sos && (context.Sos || context.IsPriority && (!hold.Priority || context.Emergency));

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
        Ended(hold, time.GetUtcNow(), EndReason.Released);
        return new FloorEnd(channel, badgeId, hold.BurstId, EndReason.Released);
    }

    /// <summary>Ends the burst on a channel for a reason from outside the floor (a permit ended, shutdown).</summary>
    public FloorEnd? Revoke(byte channel, EndReason reason)
    {
        if (!_holds.Remove(channel, out var hold))
        {
            return null;
        }

        Ended(hold, time.GetUtcNow(), reason);
        return new FloorEnd(channel, hold.BadgeId, hold.BurstId, reason);
    }

    /// <summary>
    /// The earliest moment <see cref="Expire"/> can end a hold: a talk limit, or a lease's end as of the last frame (the
    /// first-frame grace's before the first); <see cref="DateTimeOffset.MaxValue"/> while nothing is held. A frame
    /// only moves it later.
    /// </summary>
    public DateTimeOffset NextExpiry()
    {
        var next = DateTimeOffset.MaxValue;
        foreach (var hold in _holds.Values)
        {
            var end = hold.Deadline < LeaseEnd(hold) ? hold.Deadline : LeaseEnd(hold);
            if (end < next)
            {
                next = end;
            }
        }

        return next;
    }

    private DateTimeOffset LeaseEnd(FloorHold hold) => hold.LastFrame is { } last
        ? last + TimeSpan.FromSeconds(options.LeaseSeconds)
        : hold.Since + TimeSpan.FromSeconds(options.FirstFrameGraceSeconds);

    /// <summary>Ends every burst whose talk time or lease ran out: at <see cref="NextExpiry"/>, or soon after.</summary>
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
            }
            else if (now >= LeaseEnd(hold))
            {
                reason = EndReason.LeaseLost;
            }

            if (reason is { } r)
            {
                (ended ??= []).Add(new FloorEnd(hold.Channel, hold.BadgeId, hold.BurstId, r));
            }
        }

        if (ended is not null)
        {
            foreach (var end in ended)
            {
                Ended(_holds[end.Channel], now, end.Reason);
                _holds.Remove(end.Channel);
            }
        }

        Forget(now);
        return ended ?? [];
    }

    // Drops cool-downs, turns and hold-offs that no longer matter, so the tables stay as small as the active badges.
    private void Forget(DateTimeOffset now)
    {
        foreach (var (badge, until) in _coolDowns)
        {
            if (until <= now)
            {
                _coolDowns.Remove(badge);
            }
        }

        foreach (var (key, turn) in _turns)
        {
            if (now - turn.LastEnd >= CoolDown)
            {
                _turns.Remove(key);
            }
        }

        foreach (var (channel, holdOff) in _holdOffs)
        {
            if (holdOff.Until <= now)
            {
                _holdOffs.Remove(channel);
            }
        }
    }

    /// <summary>A badge's talk on a channel across quick re-requests: how long, and when its last burst ended.</summary>
    private readonly record struct TalkTurn(TimeSpan Talked, DateTimeOffset LastEnd);

    /// <summary>The badge that must let others take the channel first, until when.</summary>
    private readonly record struct HoldOff(string BadgeId, DateTimeOffset Until);
}
