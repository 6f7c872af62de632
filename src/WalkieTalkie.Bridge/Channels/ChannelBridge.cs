using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Incoming;
using WalkieTalkie.Bridge.Mirroring;
using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Bridge.State;

namespace WalkieTalkie.Bridge.Channels;

/// <summary>
/// Bridges one channel and its room, over the pure parts (threader, builder, classifier, mirror) and the ports:
/// finished bursts become voice messages (in order, each once, across restarts), voice messages from the room are
/// played on the badges, <c>played</c> becomes a read receipt, and permits are mirrored. Calls are serialised;
/// ports must not call back into the bridge from inside a call.
/// </summary>
public sealed class ChannelBridge
{
    private readonly ChannelLink _link;
    private readonly BridgePorts _ports;
    private readonly SessionThreader _threader;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HashSet<string> _loggedNotes = new(StringComparer.Ordinal);

    /// <summary>Creates the bridge of one linked channel.</summary>
    /// <param name="link">The channel and its room.</param>
    /// <param name="ports">The adapters.</param>
    /// <param name="room">The room's walkie state, fed by <see cref="OnRoomStateEventAsync"/>.</param>
    public ChannelBridge(ChannelLink link, BridgePorts ports, RoomWalkieState room)
    {
        _link = link;
        _ports = ports;
        Room = room;
        _threader = new SessionThreader(ports.Threads);
    }

    /// <summary>The room's walkie state as the bridge knows it.</summary>
    public RoomWalkieState Room { get; }

    private string Channel => _link.Channel;
    private int SampleRate => Room.Channel?.SampleRate ?? _link.SampleRate;
    private TimeSpan SessionGap => TimeSpan.FromMilliseconds(Room.Channel?.SessionGapMs ?? WalkieChannel.DefaultSessionGapMs);

    /// <summary>
    /// Hands every waiting finished burst to the outbox, oldest first, and stops at the first that cannot go yet.
    /// Call it when the recorder finishes a burst, when the outbox sends one, and after a backoff when blocked.
    /// </summary>
    public async Task<OutgoingStatus> PumpOutgoingAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var handled = 0;
            while (true)
            {
                FinishedBurst? burst;
                try
                {
                    burst = await _ports.Feed.PeekAsync(Channel, cancellationToken);
                    if (burst is null)
                    {
                        return new OutgoingStatus(OutgoingStatusKind.Idle, handled);
                    }

                    var step = await HandleAsync(burst, cancellationToken);
                    if (step == Step.WaitForRoot)
                    {
                        return new OutgoingStatus(OutgoingStatusKind.WaitingForRoot, handled);
                    }

                    await _ports.Feed.AcknowledgeAsync(burst, cancellationToken);
                    handled++;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _ports.Log.Write(BridgeLogLevel.Warning, $"channel {Channel}: sending bursts paused: {e.Message}");
                    return new OutgoingStatus(OutgoingStatusKind.Blocked, handled, e.Message);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private enum Step { Done, WaitForRoot }

    private async Task<Step> HandleAsync(FinishedBurst burst, CancellationToken ct)
    {
        var session = _ports.Threads.Load(Channel);
        if (session is not null && (session.LatestTransactionId == burst.TransactionId || session.RootTransactionId == burst.TransactionId))
        {
            _ports.Log.Write(BridgeLogLevel.Debug, $"channel {Channel}: burst {burst.BurstId} was already sent; delivered again after a restart");
            return Step.Done;
        }
        // A person's own device (ConsentInRoom) has no account the gateway could post from.
        var talker = _ports.Permits.BadgesOf(Channel).FirstOrDefault(b => b.BadgeId == burst.BadgeId && !b.ConsentInRoom);
        if (talker is null)
        {
            _ports.Log.Write(BridgeLogLevel.Warning, $"channel {Channel}: burst {burst.BurstId} of badge {burst.BadgeId} not sent: the badge has no Matrix device");
            return Step.Done;
        }
        if (await _ports.Silence.IsSilenceOnlyAsync(burst, ct))
        {
            _ports.Log.Write(BridgeLogLevel.Debug, $"channel {Channel}: burst {burst.BurstId} is silence only; not sent");
            return Step.Done;
        }

        var decision = _threader.Decide(Channel, burst.StartedAt, SessionGap);
        if (decision is ThreadDecision.AwaitsRoot awaits)
        {
            // After a restart the outbox may have sent the root while nobody listened: ask it.
            var rootEventId = await _ports.Sender.SentEventIdAsync(awaits.RootTransactionId, ct);
            if (rootEventId is null)
            {
                return Step.WaitForRoot;
            }

            _threader.OnSent(Channel, awaits.RootTransactionId, rootEventId);
            decision = _threader.Decide(Channel, burst.StartedAt, SessionGap);
        }

        EncodedVoice voice;
        try
        {
            voice = await _ports.Transcoder.EncodeAsync(burst, ct);
        }
        catch (UnusableAudioException e)
        {
            _ports.Log.Write(BridgeLogLevel.Warning, $"channel {Channel}: burst {burst.BurstId} cannot be transcoded and is skipped: {e.Message}");
            return Step.Done;
        }
        var upload = await _ports.Media.UploadVoiceAsync(talker.Device.UserId, _link.RoomId, voice.OggOpus, ct);
        var relation = (decision as ThreadDecision.JoinsSession)?.Relation;
        var content = VoiceMessageBuilder.Build(burst, upload, voice.DurationMs, voice.Waveform, relation, _link.GatewayId);
        var transactionId = burst.TransactionId;
        await _ports.Sender.EnqueueAsync(
            new OutboxMessage(talker.Device.UserId, _link.RoomId, WalkieEventTypes.RoomMessage, null, content, transactionId), ct);

        // Linked before the session is recorded: a crash in between re-enqueues (idempotent) and re-links. When this
        // is such a second pass, the outbox may have sent the event already, and its report found nothing to update.
        var link = _ports.Index.Find(burst.BurstId);
        var sentEventId = link?.EventId ?? await _ports.Sender.SentEventIdAsync(transactionId, ct);
        var pending = link?.PendingReceipts ?? [];
        if (sentEventId is not null)
        {
            foreach (var badgeId in pending)
            {
                await SendReceiptAsync(badgeId, sentEventId, ct);
            }
        }

        _ports.Index.Save(new BurstLink(burst.BurstId, Channel, transactionId, sentEventId, sentEventId is null ? pending : []));
        _threader.Record(Channel, decision, transactionId, burst.StartedAt + TimeSpan.FromMilliseconds(voice.DurationMs));
        if (sentEventId is not null)
        {
            _threader.OnSent(Channel, transactionId, sentEventId);
        }

        return Step.Done;
    }

    /// <summary>
    /// The outbox sent a transaction: learn thread roots, and send the read receipts of badges that played the
    /// burst before its event existed. Then call <see cref="PumpOutgoingAsync"/> if it was waiting for a root.
    /// </summary>
    public async Task OnEventSentAsync(string transactionId, string eventId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _threader.OnSent(Channel, transactionId, eventId);
            if (_ports.Index.FindByTransaction(transactionId) is not { } link || link.Channel != Channel)
            {
                return;
            }

            foreach (var badgeId in link.PendingReceipts)
            {
                await SendReceiptAsync(badgeId, eventId, cancellationToken);
            }

            _ports.Index.Save(link with { EventId = eventId, PendingReceipts = [] });
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The outbox gave up on a transaction (the homeserver refused it for good) or set it aside as stuck: a
    /// thread it was the root of ends, so the channel's later bursts do not wait for it (a stuck one put back and sent
    /// later stands on its own).</summary>
    public async Task OnEventFailedAsync(string transactionId, string reason, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _ports.Log.Write(BridgeLogLevel.Warning, $"channel {Channel}: transaction {transactionId} was not sent: {reason}");
            _threader.OnFailed(Channel, transactionId);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A badge played a burst of this channel to its end (<c>played</c>): its account sends a read receipt for the
    /// burst's event, now or, when the event is not sent yet, as soon as it is.
    /// </summary>
    public async Task OnPlayedAsync(string badgeId, uint burstId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var link = _ports.Index.Find(burstId);
            if (link is not null && link.Channel != Channel)
            {
                _ports.Log.Write(BridgeLogLevel.Debug, $"channel {Channel}: badge {badgeId} played burst {burstId} of channel {link.Channel}; not ours");
                return;
            }
            // Listeners usually finish a live burst before its voice message is even uploaded: keep the receipt.
            link ??= new BurstLink(burstId, Channel, null, null, []);
            if (link.EventId is { } eventId)
            {
                await SendReceiptAsync(badgeId, eventId, cancellationToken);
            }
            else if (!link.PendingReceipts.Contains(badgeId))
            {
                _ports.Index.Save(link with { PendingReceipts = [.. link.PendingReceipts, badgeId] });
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A decrypted room message: an Ogg Opus voice message from a device that may send (see
    /// <see cref="ChannelLink.RequireSendPermit"/>) is downloaded, decoded to the channel's rate and queued on the
    /// badges, once per event however often it is delivered. A port failure other than unusable audio is
    /// thrown, and the caller delivers the message again later.
    /// </summary>
    public async Task<IncomingDecision> OnRoomMessageAsync(RoomMessage message, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var own = _ports.Permits.BadgesOf(Channel).Where(b => !b.ConsentInRoom).Select(b => b.Device.UserId).ToHashSet(StringComparer.Ordinal);
            var decision = IncomingClassifier.Classify(message, own, _link.HeardLive);
            switch (decision)
            {
                case IncomingDecision.Ignore ignore:
                    _ports.Log.Write(BridgeLogLevel.Debug, $"channel {Channel}: {ignore.EventId} ignored: {ignore.Reason}");
                    return decision;
                case IncomingDecision.Refuse refuse:
                    _ports.Log.Write(BridgeLogLevel.Info, $"channel {Channel}: {refuse.EventId} from {message.Sender} not played: {refuse.Reason}");
                    return decision;
            }
            var voice = ((IncomingDecision.Play)decision).Voice;
            if (_link.RequireSendPermit && WhyMayNotSend(voice) is { } notPermitted)
            {
                _ports.Log.Write(BridgeLogLevel.Info, $"channel {Channel}: {voice.EventId} from {message.Sender} not played: {notPermitted}");
                return new IncomingDecision.Refuse(voice.EventId, notPermitted);
            }
            if (_ports.Index.FindByEvent(voice.EventId) is not null)
            {
                _ports.Log.Write(BridgeLogLevel.Debug, $"channel {Channel}: {voice.EventId} is already queued; delivered again");
                return new IncomingDecision.Ignore(voice.EventId, "already queued on the badges");
            }
            try
            {
                var ogg = await _ports.Media.DownloadVoiceAsync(_link.RoomId, voice.Source, cancellationToken);
                var audio = await _ports.Transcoder.DecodeAsync(ogg, SampleRate, cancellationToken);
                var burstId = await _ports.Player.QueueAsync(Channel, audio, message.SenderName ?? voice.Sender, voice.Sender, voice.EventId, cancellationToken);
                _ports.Index.Save(new BurstLink(burstId, Channel, null, voice.EventId, []));
                return decision;
            }
            catch (UnusableAudioException e)
            {
                var refused = new IncomingDecision.Refuse(voice.EventId, e.Message);
                _ports.Log.Write(BridgeLogLevel.Info, $"channel {Channel}: {voice.EventId} from {message.Sender} not played: {e.Message}");
                return refused;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? WhyMayNotSend(IncomingVoice voice)
    {
        if (voice.SenderDevice is null || !MatrixIds.IsDeviceId(voice.SenderDevice))
        {
            return "its sending device is unknown, and only devices with a send permit may broadcast";
        }

        var device = new DeviceKey(voice.Sender, voice.SenderDevice);
        return Room.RightsAt(device, voice.SentAt).MaySend
            ? null
            : $"device {device.DeviceId} of {voice.Sender} had no accepted send permit in this room when it sent";
    }

    /// <summary>A room state event (from sync, in order): folded into <see cref="Room"/>; refused ones are logged.</summary>
    public async Task<ApplyOutcome> OnRoomStateEventAsync(RoomStateEvent ev, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var outcome = Room.Apply(ev);
            if (outcome.Rejection is { } why)
            {
                _ports.Log.Write(BridgeLogLevel.Info, $"channel {Channel}: {ev.Type} from {ev.Sender} ({ev.EventId}) refused: {why}");
            }

            return outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Mirrors permits both ways: enqueues the state events the room lacks and applies to the gateway what users with
    /// the power changed in the room. Call it after room state events and after the gateway's table changes.
    /// </summary>
    public async Task<MirrorPlan> MirrorPermitsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var plan = PermitMirror.Plan(Channel, _ports.Permits.BadgesOf(Channel), _ports.Permits.RowsOf(Channel), Room, _link.GranterUserId);
            foreach (var change in plan.ToApply)
            {
                _ports.Permits.Apply(change);
            }

            foreach (var ev in plan.ToSend)
            {
                await _ports.Sender.EnqueueAsync(new OutboxMessage(ev.SendAs, _link.RoomId, ev.Type, ev.StateKey, ev.Content, ev.TransactionId), cancellationToken);
            }

            // The host mirrors at every change and every re-read: a note is logged when it appears, not at each plan.
            var notes = plan.Notes.Select(n => $"channel {Channel}: permits of badge {n.BadgeId}: {n.Message}").ToHashSet(StringComparer.Ordinal);
            foreach (var line in notes.Where(l => !_loggedNotes.Contains(l)))
            {
                _ports.Log.Write(BridgeLogLevel.Warning, line);
            }

            _loggedNotes = notes;

            return plan;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task SendReceiptAsync(string badgeId, string eventId, CancellationToken ct)
    {
        var badge = _ports.Permits.BadgesOf(Channel).FirstOrDefault(b => b.BadgeId == badgeId && !b.ConsentInRoom);
        if (badge is null)
        {
            _ports.Log.Write(BridgeLogLevel.Debug, $"channel {Channel}: badge {badgeId} has no Matrix device; no receipt");
            return;
        }
        await _ports.Receipts.SendReadReceiptAsync(badge.Device.UserId, _link.RoomId, eventId, ct);
    }
}
