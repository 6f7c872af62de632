using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Permits;
using WalkieTalkie.Gateway.Presence;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Engine;

// Ticks (floor timers, playback pacing, permit expiry, quiet hours) and registry changes (CLI edits, permit accepts).
public sealed partial class GatewayEngine
{
    private async Task HandleTickAsync()
    {
        // Voice messages first: after a stall of this loop their due frames go out (renewing their lease) before the
        // floor looks for holders whose frames stopped, so the gateway never takes the floor from its own message.
        await PumpQueuedAudioAsync();
        foreach (var end in _floor.Expire())
        {
            await EndBurstAsync(end, null);
        }

        await EndLostChannelsAsync();
        var gained = ChannelsGainedSinceLastTick();
        if (gained is not null)
        {
            RecoverTakenOverRecordings(gained);
            await RestoreTakenOverQueuedAudioAsync(gained);
        }

        // The presses that came just before this gateway served their channel (or past their time: forgotten).
        await AnswerKeptPressesAsync();
        if (gained is not null)
        {
            await CatchUpGainedBadgesAsync();
        }

        await ExpireRepliesAsync();
        await TickSitesAsync();

        await PumpPlaybacksAsync();
        var now = Now;
        if (now - _lastPermitCheck >= ChecksEvery)
        {
            _lastPermitCheck = now;
            await ApplyPermitChangesAsync(_permits.Check(_registry, now));
            await CheckQuietAsync();
            LookForHandedOverQueuedAudio();
        }
    }

    /// <summary>A new registry: permits gained or lost, offers to send, configs that changed.</summary>
    private async Task ApplyRegistryAsync(RegistrySnapshot registry)
    {
        SetRegistry(registry);
        await ApplyPermitChangesAsync(_permits.Check(registry, Now));
        await CheckQuietAsync();
        await ApplyEmergenciesAsync();
        foreach (var presence in _presence.All.ToArray())
        {
            if (presence.State != PresenceState.Offline)
            {
                await SendPendingOffersAsync(presence.BadgeId);
                await SendConfigAsync(presence.BadgeId, force: false);
            }
        }
    }

    private async Task ApplyPermitChangesAsync(IReadOnlyList<PermitChange> changes)
    {
        foreach (var change in changes)
        {
            if (change.Lost != 0)
            {
                _logger.LogInformation("Permits {Lost} of badge {Badge} on channel {Channel} ended: {Reason}",
                    change.Lost, change.BadgeId, change.Channel, change.Reason);
                await SendAsync(change.BadgeId, new PermitRevoked { Channel = change.Channel, Permits = change.Lost, Reason = change.Reason });
                if (_floor.Holder(change.Channel)?.BadgeId == change.BadgeId && _floor.Revoke(change.Channel, EndReason.PermitEnded) is { } end)
                {
                    await EndBurstAsync(end, null);
                }

                if ((change.Lost & PermitBits.Receive) != 0)
                {
                    await StopListeningAsync(change.BadgeId, change.Channel);
                }
            }

            if (change.Gained != 0)
            {
                _logger.LogInformation("Permits {Gained} of badge {Badge} on channel {Channel} in force", change.Gained, change.BadgeId, change.Channel);
            }

            await SendConfigAsync(change.BadgeId, force: false);
        }
    }

    /// <summary>A badge that may no longer receive a channel stops getting its burst at once.</summary>
    private async Task StopListeningAsync(string badgeId, byte channel)
    {
        _playbacks.RemoveAll(p => p.BadgeId == badgeId && p.Channel == channel);
        if (_bursts.TryGetValue(channel, out var burst) && (burst.LiveListeners.Remove(badgeId) | burst.Reached.Contains(badgeId)))
        {
            await SendAsync(badgeId, new BurstEnd { Channel = channel, BurstId = burst.BurstId, Reason = EndReason.PermitEnded, FrameCount = burst.FrameCount });
            if (_presence.Get(badgeId).State == PresenceState.Listening)
            {
                SetPresence(badgeId, PresenceState.Idle);
            }
        }
    }

    private async Task SendPendingOffersAsync(string badgeId)
    {
        if (!ServesBadge(badgeId))
        {
            return;
        }

        foreach (var permit in _registry.Permits)
        {
            if (permit.BadgeId != badgeId || permit.OfferSent || (permit.Offered & ~permit.Accepted) == 0 || permit.IsExpired(Now))
            {
                continue;
            }

            if (_offersSent.Add((permit.BadgeId, permit.Channel, permit.Offered, permit.Until)))
            {
                await SendAsync(badgeId, new PermitOffer
                {
                    Channel = permit.Channel,
                    Permits = permit.Offered,
                    Until = (uint)permit.Until,
                    OfferedBy = permit.OfferedBy,
                });
                _storage.MarkOfferSent(badgeId, permit.Channel);
            }
        }
    }

    private async Task EndAllAsync()
    {
        foreach (var channel in _bursts.Keys.ToArray())
        {
            if (_floor.Revoke(channel, EndReason.Released) is { } end)
            {
                _logger.LogInformation("Shutting down: ending burst {BurstId} on channel {Channel}", end.BurstId, channel);
                await SendAsync(Talker.FromKey(end.BadgeId), new FloorRevoked { Channel = channel, BurstId = end.BurstId, Reason = EndReason.Released });
                await EndBurstAsync(end, null);
            }
        }

        await EndRepliesAsync();
    }
}
