using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Permits;
using WalkieTalkie.Gateway.Presence;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Engine;

// Floor requests, bursts from start to end, live fan-out and late joiners.
public sealed partial class GatewayEngine
{
    private async Task RequestFloorAsync(string badgeId, FloorRequest request, long receivedAt)
    {
        NoteAnsweredPress();
        var channel = _registry.Channel(request.Channel);
        var badge = _registry.Badge(badgeId)!;
        var member = channel is not null && _registry.Members(request.Channel).Contains(badgeId);
        var sos = request.IsEmergency && HasOpenEmergency(badgeId);
        var context = new FloorRequestContext(member, PermitWatcher.MayTalk(_registry.EffectivePermits(badgeId, request.Channel, Now)),
            badge.Priority, request.IsEmergency, channel?.MaxTalkSeconds ?? 30, sos);
        // Another site's talker holds the room: busy, but for an SOS, which preempts any talker that is not an emergency
        // at whichever site (its claim wins there too). Only another emergency keeps an SOS out, as it does locally.
        if (HeldByAnotherSite(request.Channel, out var remote) && !(sos && !remote.Emergency))
        {
            var crossed = CrossedAnotherSitesPress(request.Channel, remote, receivedAt);
            Decide(request.Channel, badgeId, "denied", crossed
                ? "Collision: " + RemoteKey(remote.GatewayId, remote.Talker) + " pressed at the same moment and won"
                : "Busy: " + RemoteKey(remote.GatewayId, remote.Talker) + " talks", 0);
            await SendAsync(badgeId, new FloorDenied { Channel = request.Channel, Reason = crossed ? DenyReason.Collision : DenyReason.Busy });
            return;
        }

        var decision = _floor.Request(badgeId, request.Channel, context);
        if (decision.Preempted is { } preempted)
        {
            await EndBurstAsync(preempted, null);
        }

        if (!decision.Granted)
        {
            // A request for a channel that is not the badge's is a refusal: logged and recorded a few times a window
            // (each would be a log line and a status row).
            if (decision.DenyReason != DenyReason.UnknownChannel || _refusals.Refuse(badgeId, RefusalKind.FloorRequest))
            {
                Decide(request.Channel, badgeId, "denied", decision.DenyReason.ToString(), 0);
            }

            await SendAsync(badgeId, new FloorDenied
            {
                Channel = request.Channel,
                Reason = decision.DenyReason,
                RetryAfterSeconds = (ushort)Math.Clamp(decision.RetryAfterSeconds, 0, ushort.MaxValue),
            });
            return;
        }

        if (!_bursts.TryGetValue(request.Channel, out var current) || current.BurstId != decision.BurstId)
        {
            var reason = decision.Preempted is null ? "free" : "preempted " + decision.Preempted.BadgeId;
            Decide(request.Channel, badgeId, "granted", sos ? "emergency, " + reason : reason, decision.BurstId);
            // The claim goes to the other sites before the burst's start (the link is ordered): a site always knows a
            // burst's claim before it plays the burst, so a press there that crossed it is told the collision.
            await ClaimAcrossSitesAsync(request.Channel, badgeId, badge.Name, decision.BurstId, emergency: sos);
            var burst = await StartBurstAsync(channel!, Talker.Badge(badgeId), badge.Priority, decision.BurstId, sos);
            if (sos)
            {
                await OpenMirrorsAsync(burst, badgeId);
            }
        }

        await SendAsync(badgeId, new FloorGranted
        {
            Channel = request.Channel,
            BurstId = decision.BurstId,
            // What is left of the badge's turn: quick re-requests share the channel's talk limit.
            MaxTalkSeconds = (ushort)Math.Clamp((int)(_floor.Holder(request.Channel)!.Deadline - Now).TotalSeconds, 1, ushort.MaxValue),
        });
        await SendAsync(badgeId, ListenersOf(_bursts[request.Channel]));
    }

    /// <summary>Who hears the burst: members with a receive permit reached now, and those that get it from their queue later.</summary>
    private Listeners ListenersOf(ActiveBurst burst)
    {
        var live = 0;
        var later = 0;
        foreach (var member in _registry.Members(burst.Channel))
        {
            if (member == burst.Talker.Key || !MayHear(member, burst.Channel))
            {
                continue;
            }

            if (burst.Reached.Contains(member))
            {
                live++;
            }
            else
            {
                later++;
            }
        }

        return new Listeners
        {
            Channel = burst.Channel,
            BurstId = burst.BurstId,
            Live = (byte)Math.Min(live, byte.MaxValue),
            Later = (byte)Math.Min(later, byte.MaxValue),
        };
    }

    /// <summary>Every floor decision is a structured log event and goes to the observers (<c>walkie status</c> shows it).</summary>
    private void Decide(byte channel, string talkerKey, string decision, string reason, uint burstId)
    {
        _logger.LogInformation("Floor {Decision} on channel {Channel} for badge {Badge}: {Reason} (burst {BurstId})",
            decision, channel, talkerKey, reason, burstId);
        _observers.OnFloorDecision(new FloorDecisionRecord(Now.ToUnixTimeMilliseconds(), channel, talkerKey, decision, reason, burstId));
    }

    /// <summary>
    /// Starts a burst on a channel and reaches its listeners; an emergency's (<paramref name="sos"/>) plays through quiet,
    /// and one mirrored from the talker's own channel keeps that channel's <paramref name="sampleRate"/>.
    /// </summary>
    private async Task<ActiveBurst> StartBurstAsync(ChannelRecord channel, Talker talker, bool priority, uint burstId, bool sos = false,
        int? sampleRate = null, bool isMirror = false, string? eventId = null)
    {
        var now = Now;
        var rate = sampleRate ?? channel.SampleRate;
        var recording = talker.IsRemote ? null : _storage.Recordings.Start(burstId, channel.Number, talker, now, rate,
            maxTalkSeconds: channel.MaxTalkSeconds);
        var burst = new ActiveBurst(channel.Number, burstId, talker, SampleRate.FromHertz(rate), rate, priority, now, recording)
        {
            Sos = sos,
            IsMirror = isMirror,
            EventId = eventId,
        };
        _bursts[channel.Number] = burst;
        _observers.OnBurstStarted(InfoOf(burst));
        if (talker.IsBadge)
        {
            SetPresence(talker.Name, PresenceState.Talking);
        }

        foreach (var member in _registry.Members(channel.Number))
        {
            if (member == talker.Key || !MayHear(member, channel.Number))
            {
                continue;
            }

            // Heard now or later from the queue: either way the one a private reply from this badge answers.
            NoteLastTalker(member, channel.Number, talker);
            if (_presence.Get(member).CanHearLive && !HeldByQuiet(member, channel.Number, burst.AlwaysHeard))
            {
                await AddListenerAsync(member, burst, late: false);
            }
        }

        return burst;
    }

    private static BurstInfo InfoOf(ActiveBurst burst) =>
        new(burst.Channel, burst.BurstId, burst.Talker, burst.StartedAt, burst.SampleRate, burst.Priority, burst.EventId, burst.Sos);

    private BurstStart BurstStartFor(ActiveBurst burst, bool replay) => new()
    {
        Channel = burst.Channel,
        BurstId = burst.BurstId,
        RateCode = burst.RateCode,
        Flags = (byte)((burst.AlwaysHeard ? BurstFlags.Priority : 0) | (replay ? BurstFlags.Replay : 0)),
        RecordedAt = (uint)burst.StartedAt.ToUnixTimeSeconds(),
        Talker = TalkerName(burst.Talker),
    };

    /// <summary>Wakes a standby badge, announces the burst, and delivers it: live, or from its first frame when joining late.</summary>
    private async Task AddListenerAsync(string badgeId, ActiveBurst burst, bool late)
    {
        if (_presence.Get(badgeId).State == PresenceState.Standby)
        {
            await SendAsync(badgeId, new Wake { Reason = WakeReason.Burst, Channel = burst.Channel, BurstId = burst.BurstId });
        }

        var catchUp = late && burst.Frames.Count > 0;
        await SendAsync(badgeId, BurstStartFor(burst, catchUp));
        burst.Reached.Add(badgeId);
        SetPresence(badgeId, PresenceState.Listening);
        if (catchUp)
        {
            _playbacks.Add(new Playback(badgeId, burst.Channel, burst.BurstId, burst.Frames, burst, burst.FrameDuration, Now));
        }
        else
        {
            burst.LiveListeners.Add(badgeId);
        }
    }

    private Task JoinLateAsync(string badgeId, ActiveBurst burst)
    {
        _logger.LogInformation("Badge {Badge} joins burst {BurstId} on channel {Channel} late, from its first frame", badgeId, burst.BurstId, burst.Channel);
        return AddListenerAsync(badgeId, burst, late: true);
    }

    private async Task HandleFrameAsync(string badgeId, byte[] payload, long receivedAt)
    {
        var error = _frame.Read(payload, 0, payload.Length);
        if (error != Protocol.ProtocolError.None)
        {
            if (_refusals.Refuse(badgeId, RefusalKind.Malformed))
            {
                _logger.LogWarning("Dropped malformed audio frame from badge {Badge}: {Error}", badgeId, error);
            }

            return;
        }

        if (!Serves(_frame.Channel))
        {
            return; // the channel's owner carries it
        }

        if (await TryReplyFrameAsync(badgeId, payload))
        {
            Timings.Add(receivedAt);
            return;
        }

        if (_bursts.TryGetValue(_frame.Channel, out var current) && current.Talker.Key == badgeId
            && FrameCheck.Problem(_frame, current.BlockBytes) is { } problem)
        {
            if (_refusals.Refuse(badgeId, RefusalKind.Malformed))
            {
                _logger.LogWarning("Dropped malformed audio frame from badge {Badge}: {Error}", badgeId, problem);
            }

            return;
        }

        if (!_bursts.TryGetValue(_frame.Channel, out var burst) || burst.Talker.Key != badgeId || burst.BurstId != _frame.BurstId
            || _frame.RateCode != burst.RateCode || !_floor.OnFrame(badgeId, _frame.Channel, _frame.BurstId))
        {
            if (_refusals.Refuse(badgeId, RefusalKind.NotHolder))
            {
                _logger.LogWarning("Dropped audio frame from badge {Badge} on channel {Channel} burst {BurstId}: not the floor holder's burst or wrong rate",
                    badgeId, _frame.Channel, _frame.BurstId);
            }

            return;
        }

        await DeliverFrameAsync(burst, payload, _frame);
        await DeliverToMirrorsAsync(burst, payload);
        Timings.Add(receivedAt);
    }

    /// <summary>Records a frame of the burst (read into <paramref name="frame"/>) and sends it to its live listeners.</summary>
    private async Task DeliverFrameAsync(ActiveBurst burst, byte[] payload, AudioFrame frame)
    {
        if (burst.Frames.Count == 0)
        {
            burst.FrameDuration = TimeSpan.FromSeconds((double)frame.BlockCount * frame.SamplesPerBlock / burst.SampleRate);
            burst.BlockBytes = frame.BlockBytes;
            if (burst.Recording is { } first)
            {
                _storage.Recordings.SetLayout(first, frame.BlockBytes, frame.BlockCount);
            }
        }

        // A burst from another site is recorded by its talker's gateway, not here.
        if (burst.Recording is { } recording)
        {
            _storage.Recordings.Append(recording, payload);
            _observers.OnBurstFrame(burst.Channel, burst.BurstId, payload);
        }

        burst.Frames.Add(payload);

        // The same array goes to every listener: nothing is copied per listener.
        var audience = burst.LiveListeners.Count;
        foreach (var listener in burst.LiveListeners)
        {
            await _link.SendAudioAsync(listener, payload, audience);
        }
    }

    private async Task EndBurstAsync(FloorEnd end, int? framesSent)
    {
        if (!_bursts.TryGetValue(end.Channel, out var burst) || burst.BurstId != end.BurstId)
        {
            return;
        }

        _bursts.Remove(end.Channel);
        var cutMessage = !burst.Talker.IsBadge && CompleteCutMessage(burst);
        burst.Ended = true;
        burst.EndReason = end.Reason;
        // The end is announced once the recording is final, so that what the talker and listeners are told next (the
        // unplayed list, a replay) and what status shows agree with it. The frames were written meanwhile, off the
        // loop; only the file's header and its row are left.
        if (burst.Recording is { } recording)
        {
            await _storage.Recordings.FinishAsync(recording, framesSent, end.Reason);
        }

        Decide(end.Channel, end.BadgeId, "ended", end.Reason.ToString(), end.BurstId);
        _observers.OnBurstEnded(InfoOf(burst), end.Reason);
        if (end.Reason != EndReason.Released && !burst.IsMirror)
        {
            await SendAsync(burst.Talker, new FloorRevoked { Channel = end.Channel, BurstId = end.BurstId, Reason = end.Reason });
        }

        if (burst.Talker.IsBadge && _presence.Get(burst.Talker.Name).State == PresenceState.Talking)
        {
            SetPresence(burst.Talker.Name, PresenceState.Idle);
        }

        foreach (var listener in burst.LiveListeners)
        {
            await SendBurstEndAsync(listener, burst);
        }

        foreach (var member in _registry.Members(end.Channel))
        {
            // A remote burst has no recording here to be owed from.
            if (member != burst.Talker.Key && !burst.Talker.IsRemote && (cutMessage || !burst.Reached.Contains(member)) && MayHear(member, end.Channel))
            {
                _storage.QueueUnplayed(member, burst.BurstId, Now.ToUnixTimeMilliseconds());
                if (_presence.Get(member).State is not (PresenceState.Offline or PresenceState.Pocket))
                {
                    await SendUnplayedListAsync(member);
                }
            }
        }

        await EndMirrorsAsync(burst, end.Reason, framesSent);
        // A mirror claims its channel's room as its primary does: it is released the same way.
        await EndAcrossSitesAsync(end.Channel, end.BurstId);
    }

    private async Task SendBurstEndAsync(string badgeId, ActiveBurst burst)
    {
        await SendAsync(badgeId, new BurstEnd
        {
            Channel = burst.Channel,
            BurstId = burst.BurstId,
            Reason = burst.EndReason,
            FrameCount = burst.FrameCount,
        });
        if (_presence.Get(badgeId).State == PresenceState.Listening)
        {
            SetPresence(badgeId, PresenceState.Idle);
        }
    }

    private async Task StartRecordingPlaybackAsync(string badgeId, uint burstId)
    {
        var check = await _storage.CheckReplayAsync(badgeId, burstId);
        if (check.Recording is { } elsewhere && !Serves(elsewhere.Channel))
        {
            return; // the channel's owner replays it
        }

        if (check.Recording is { } held && HeldByQuiet(badgeId, held.Channel, alwaysHeard: false))
        {
            _logger.LogInformation("Held play-request of badge {Badge} for burst {BurstId}: quiet on channel {Channel}", badgeId, burstId, held.Channel);
            return;
        }

        if (check.Recording is not { } recording || !(check.InQueue || MayReplay(badgeId, recording)) || !recording.Complete && !check.FileExists)
        {
            if (_refusals.Refuse(badgeId, RefusalKind.PlayRequest))
            {
                _logger.LogWarning("Refused play-request of badge {Badge} for burst {BurstId}: not in its queue or not permitted", badgeId, burstId);
            }

            return;
        }

        var frames = await _storage.ReplayFramesAsync(recording);
        var burst = new ActiveBurst(recording.Channel, burstId, Talker.FromKey(recording.BadgeId), SampleRate.FromHertz(recording.SampleRate),
            recording.SampleRate, false, DateTimeOffset.FromUnixTimeMilliseconds(recording.StartedAtMs), null)
        {
            EndReason = (EndReason)Math.Max(1, recording.EndReason),
        };
        burst.Frames.AddRange(frames);
        burst.Ended = true;
        if (recording.PrivateTo != "")
        {
            await SendAsync(badgeId, new ReplyIncoming { Channel = recording.Channel, BurstId = burstId });
        }

        await SendAsync(badgeId, BurstStartFor(burst, replay: true));
        var interval = frames.Count == 0 ? TimeSpan.FromMilliseconds(40) : FrameDuration(frames[0], recording.SampleRate);
        _playbacks.Add(new Playback(badgeId, recording.Channel, burstId, frames, burst, interval, Now));
    }

    /// <summary>A channel burst replays to whoever may hear the channel; a private reply only to the one it was for.</summary>
    private bool MayReplay(string badgeId, RecordingRecord recording) =>
        recording.PrivateTo == "" ? MayHear(badgeId, recording.Channel) : recording.PrivateTo == badgeId;

    private TimeSpan FrameDuration(byte[] frame, int sampleRate)
    {
        var reader = new AudioFrame();
        return reader.Read(frame, 0, frame.Length) == Protocol.ProtocolError.None
            ? TimeSpan.FromSeconds((double)reader.BlockCount * reader.SamplesPerBlock / sampleRate)
            : TimeSpan.FromMilliseconds(40);
    }

    /// <summary>Streams due frames to late joiners and recording players; hands caught-up joiners over to live delivery.</summary>
    private async Task PumpPlaybacksAsync()
    {
        var now = Now;
        var lead = Math.Clamp(_options.ReplayLeadFrames, 1, 7);
        foreach (var playback in _playbacks.ToArray())
        {
            // A few frames at once, then real time (faster, a 5 s recording lost 54 of its 125 frames on the badge).
            while (playback.Cursor < playback.Frames.Count && now >= playback.NextDue)
            {
                var frame = playback.Frames[playback.Cursor++];
                await _link.SendAudioAsync(playback.BadgeId, playback.Live?.IsLive == true ? BurstFrames.ReplayOf(frame) : frame);
                playback.NextDue = StreamPacing.NextDue(playback.Cursor, lead, playback.NextDue, playback.Interval, now);
            }

            if (playback.Cursor < playback.Frames.Count)
            {
                continue;
            }

            _playbacks.Remove(playback);
            var burst = playback.Live!;
            if (!burst.Ended)
            {
                burst.LiveListeners.Add(playback.BadgeId);
            }
            else
            {
                await SendBurstEndAsync(playback.BadgeId, burst);
            }
        }
    }

    private void SetPresence(string badgeId, PresenceState state)
    {
        _presence.Set(badgeId, state);
        ReportPresence(badgeId);
    }
}
