using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Presence;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Engine;

// Emergencies (SOS): a badge's emergency opens with its emergency message and stays open until the badge cancels it
// with the same gesture or an admin does (walkie sos cancel, which reaches the engine as a registry change). While it
// is open, the badge's emergency floor requests preempt anyone on every channel it belongs to (and nobody cuts
// them), its bursts play through quiet hours, every badge of those channels is told (standby ones woken, pocket ones
// at their next check-in, which comes sooner meanwhile). Open emergencies are kept with the registry, so a restarted
// gateway has them again.
public sealed partial class GatewayEngine
{
    private readonly Dictionary<string, DateTimeOffset> _emergencies = new();

    // Emergencies seen in a registry snapshot: only those can have been cancelled by an admin when a snapshot lacks them
    // (one the engine just opened may not be written yet).
    private readonly HashSet<string> _emergenciesKept = [];

    /// <summary>Emergencies this engine opened, with the registry version that holds each, until a registry that new is loaded.</summary>
    private readonly Dictionary<string, long> _emergencyWrittenAt = new(StringComparer.Ordinal);

    // Emergencies the badge cancelled whose row may still be in the next snapshot: not to be opened again from it.
    private readonly HashSet<string> _emergenciesClosing = [];

    /// <summary>The open emergencies: badge and when it opened.</summary>
    internal IReadOnlyDictionary<string, DateTimeOffset> Emergencies => _emergencies;

    private bool HasOpenEmergency(string badgeId) => _emergencies.ContainsKey(badgeId);

    private async Task HandleEmergencyAsync(string badgeId, bool open)
    {
        if (open && !HasOpenEmergency(badgeId))
        {
            var now = Now;
            _emergencies[badgeId] = now;
            _emergenciesClosing.Remove(badgeId);
            await KeepEmergencyAsync(badgeId, now);
            await AnnounceEmergencyAsync(badgeId, now);
        }
        else if (!open && HasOpenEmergency(badgeId))
        {
            _emergenciesClosing.Add(badgeId);
            _storage.CloseEmergency(badgeId);
            await CloseEmergencyAsync(badgeId, "badge");
        }
    }

    /// <summary>
    /// Writes the emergency to the registry and notes the version that holds it: a registry of that version or later
    /// without it was cancelled by an admin, even one who cancelled before this engine had reloaded once.
    /// </summary>
    private async Task KeepEmergencyAsync(string badgeId, DateTimeOffset openedAt)
    {
        try
        {
            _emergencyWrittenAt[badgeId] = await _storage.OpenEmergencyAsync(badgeId, openedAt.ToUnixTimeMilliseconds());
        }
        catch (RegistryException e)
        {
            _logger.LogWarning("Emergency of badge {Badge} not kept: {Reason}", badgeId, e.Message);
        }
    }

    private async Task AnnounceEmergencyAsync(string badgeId, DateTimeOffset openedAt)
    {
        var channels = _registry.ChannelsOf(badgeId).Order().ToArray();
        _logger.LogWarning("Emergency opened by badge {Badge} on channels [{Channels}]", badgeId, string.Join(",", channels));
        foreach (var channel in channels)
        {
            Decide(channel, badgeId, "emergency", "opened", 0);
        }

        await TellEmergencyAsync(badgeId, open: true);
        var zone = _options.Zones ? await _storage.ZoneOfAsync(badgeId) : "";
        _observers.OnEmergencyOpened(new EmergencyInfo(badgeId, openedAt, channels, _presence.Get(badgeId).BatteryPercent, zone));
    }

    private async Task CloseEmergencyAsync(string badgeId, string by)
    {
        _emergencies.Remove(badgeId);
        _emergenciesKept.Remove(badgeId);
        _emergencyWrittenAt.Remove(badgeId);
        if (!ServesBadge(badgeId))
        {
            return; // the gateway that does the badge's own work announces it
        }

        _logger.LogWarning("Emergency of badge {Badge} cancelled by the {By}", badgeId, by);
        foreach (var channel in _registry.ChannelsOf(badgeId).Order())
        {
            Decide(channel, badgeId, "emergency-closed", "cancelled by the " + by, 0);
        }

        _observers.OnEmergencyClosed(badgeId, by);
        await TellEmergencyAsync(badgeId, open: false);
    }

    /// <summary>
    /// Tells every reachable badge of the emergency's channels (the badge itself included) that it opened or closed,
    /// waking standby ones first, and sends them their config (the check-in interval follows open emergencies).
    /// </summary>
    private async Task TellEmergencyAsync(string badgeId, bool open)
    {
        var state = new EmergencyState { Open = open, Badge = badgeId };
        foreach (var member in BadgesSharingAChannelWith(badgeId))
        {
            var presence = _presence.Get(member).State;
            if (presence is PresenceState.Offline or PresenceState.Pocket)
            {
                continue; // told when it comes back (CameOnlineAsync)
            }

            if (open && presence == PresenceState.Standby && member != badgeId)
            {
                await SendAsync(member, new Wake { Reason = WakeReason.Burst, Channel = _registry.ChannelsOf(badgeId).First(), BurstId = 0 });
            }

            await SendAsync(member, state);
            await SendConfigAsync(member, force: false);
        }
    }

    /// <summary>A badge back from pocket or offline: the open emergencies of its channels.</summary>
    private async Task SendOpenEmergenciesAsync(string badgeId)
    {
        foreach (var owner in _emergencies.Keys.ToArray())
        {
            if (BadgesSharingAChannelWith(owner).Contains(badgeId))
            {
                await SendAsync(badgeId, new EmergencyState { Open = true, Badge = owner });
            }
        }
    }

    private HashSet<string> BadgesSharingAChannelWith(string badgeId)
    {
        var badges = new HashSet<string> { badgeId };
        foreach (var channel in _registry.ChannelsOf(badgeId))
        {
            badges.UnionWith(_registry.Members(channel));
        }

        return badges;
    }

    /// <summary>The check-in interval for a badge: shorter while an emergency on one of its channels is open.</summary>
    private ushort CheckInSecondsFor(string badgeId, ushort usual)
    {
        var shortened = (ushort)Math.Clamp(_options.EmergencyCheckInSeconds, 1, ushort.MaxValue);
        return _emergencies.Keys.Any(owner => BadgesSharingAChannelWith(owner).Contains(badgeId)) && (usual == 0 || usual > shortened)
            ? shortened
            : usual;
    }

    /// <summary>
    /// Brings the engine's emergencies in line with the registry's: ones kept there but not known here are open (a
    /// restart), ones known here that were kept and are gone were cancelled by an admin. Returns those to close.
    /// </summary>
    private List<string> ReconcileEmergencies()
    {
        var kept = _registry.Emergencies.ToDictionary(e => e.BadgeId, e => e.OpenedAtMs);
        foreach (var (badgeId, version) in _emergencyWrittenAt.ToArray())
        {
            if (_registry.Version >= version)
            {
                // The registry has seen it: from now on its absence there is a cancel.
                _emergenciesKept.Add(badgeId);
                _emergencyWrittenAt.Remove(badgeId);
            }
        }

        _emergenciesClosing.IntersectWith(kept.Keys);
        foreach (var (badgeId, openedAtMs) in kept)
        {
            if (_emergenciesClosing.Contains(badgeId))
            {
                continue;
            }

            if (_emergencies.TryAdd(badgeId, DateTimeOffset.FromUnixTimeMilliseconds(openedAtMs)))
            {
                // Announced when it opened; the badges of its channels hear of it again as they come online.
                _logger.LogWarning("Emergency of badge {Badge} is open (kept since {OpenedAt:u})", badgeId, _emergencies[badgeId]);
            }

            _emergenciesKept.Add(badgeId);
        }

        return _emergenciesKept.Where(badgeId => !kept.ContainsKey(badgeId)).ToList();
    }

    private async Task ApplyEmergenciesAsync()
    {
        foreach (var badgeId in ReconcileEmergencies())
        {
            await CloseEmergencyAsync(badgeId, "admin");
        }
    }

    /// <summary>
    /// An emergency burst takes the floor on the talker's other channels too (cutting whoever talks there) and each
    /// of its frames goes to them re-addressed.
    /// </summary>
    private async Task OpenMirrorsAsync(ActiveBurst primary, string badgeId)
    {
        var badge = _registry.Badge(badgeId)!;
        foreach (var number in _registry.ChannelsOf(badgeId).Order())
        {
            var channel = _registry.Channel(number);
            if (number == primary.Channel || channel is null)
            {
                continue;
            }

            if (HeldByAnotherSite(number, out var remote) && remote.Emergency)
            {
                continue; // another site's open emergency holds it, as one here would
            }

            var context = new Floor.FloorRequestContext(true, true, badge.Priority, true, channel.MaxTalkSeconds, Sos: true);
            var decision = _floor.Request(badgeId, number, context);
            if (decision.Preempted is { } preempted)
            {
                await EndBurstAsync(preempted, null);
            }

            if (!decision.Granted)
            {
                continue; // another open emergency holds it
            }

            Decide(number, badgeId, "granted", "emergency" + (decision.Preempted is null ? "" : ", preempted " + decision.Preempted.BadgeId), decision.BurstId);
            // Relayed to the other sites of that channel's room like the primary, so claimed like it first (the link is
            // ordered): an emergency's claim, which ends a talker of theirs there too.
            await ClaimAcrossSitesAsync(number, badgeId, badge.Name, decision.BurstId, emergency: true);
            var mirror = await StartBurstAsync(channel, primary.Talker, badge.Priority, decision.BurstId, sos: true, primary.SampleRate, isMirror: true);
            primary.Mirrors.Add(mirror);
        }
    }

    private async Task DeliverToMirrorsAsync(ActiveBurst primary, byte[] payload)
    {
        foreach (var mirror in primary.Mirrors)
        {
            if (!mirror.Ended && _floor.OnFrame(primary.Talker.Key, mirror.Channel, mirror.BurstId))
            {
                await DeliverFrameAsync(mirror, BurstFrames.Readdressed(payload, _frame, mirror.Channel, mirror.BurstId), _frame);
            }
        }
    }

    private async Task EndMirrorsAsync(ActiveBurst primary, EndReason reason, int? framesSent)
    {
        foreach (var mirror in primary.Mirrors)
        {
            if (!mirror.Ended && _floor.Holder(mirror.Channel)?.BurstId == mirror.BurstId && _floor.Revoke(mirror.Channel, reason) is { } end)
            {
                await EndBurstAsync(end, framesSent);
            }
        }
    }
}
