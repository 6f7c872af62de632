using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Presence;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Engine;

// Gateways sharing a database and a broker serve each channel from one of them, the holder of its lease
// (ChannelOwnership): they all hear every badge's uplinks, and only the owner answers a channel's floor requests,
// carries its frames, records it and ends its bursts. The others stay silent, so that a badge never hears two answers.
// What is a badge's own, not a channel's (its config and offers when it comes online or the registry changes, its
// unplayed list then and when its quiet hours turn, its presence and low-battery notices, its emergencies, what it
// played, its do-not-disturb and location), is done by the owner of its first channel alone, so that two gateways
// never open two emergencies or send two notices for one badge.
public sealed partial class GatewayEngine
{
    // The registry's channels this gateway owned at the last tick, to notice the ones it gains.
    private readonly HashSet<byte> _ownedAtLastTick = [];

    /// <summary>Whether this gateway serves <paramref name="channel"/> now: always when it is its site's only one.</summary>
    private bool Serves(byte channel) => _ownership.Alone || _ownership.Owns(channel);

    /// <summary>
    /// Whether this gateway does <paramref name="badgeId"/>'s own work now: the owner of the badge's lowest-numbered
    /// channel does (of the site's lowest-numbered channel for a badge in none).
    /// </summary>
    private bool ServesBadge(string badgeId) => _ownership.Alone || FirstChannelOf(badgeId) is { } channel && _ownership.Owns(channel);

    private byte? FirstChannelOf(string badgeId)
    {
        var channels = _registry.ChannelsOf(badgeId).ToArray();
        if (channels.Length == 0)
        {
            channels = _registry.Channels.Select(c => c.Number).ToArray();
        }

        return channels.Length == 0 ? null : channels.Min();
    }

    /// <summary>The channel a badge's message is about, when another gateway may be the one serving it.</summary>
    private static byte? ChannelOf(ControlMessage message) => message switch
    {
        FloorRequest m => m.Channel,
        FloorRelease m => m.Channel,
        ReplyRequest m => m.Channel,
        PermitAccept m => m.Channel,
        PermitWithdraw m => m.Channel,
        _ => null,
    };

    /// <summary>
    /// Ends at once the bursts and private replies on channels whose lease this gateway lost (it stalled, or lost the
    /// database): another gateway serves them from now on, and the talker is told its floor is gone.
    /// </summary>
    private async Task EndLostChannelsAsync()
    {
        if (_ownership.Alone)
        {
            return;
        }

        foreach (var channel in _bursts.Keys.ToArray())
        {
            if (!Serves(channel) && _floor.Revoke(channel, EndReason.LeaseLost) is { } end)
            {
                _logger.LogWarning("Lost the lease of channel {Channel}: ending burst {BurstId}", channel, end.BurstId);
                await EndBurstAsync(end, null);
            }
        }

        foreach (var reply in _replies.Values.ToArray())
        {
            if (!Serves(reply.Channel))
            {
                _logger.LogWarning("Lost the lease of channel {Channel}: ending private reply {BurstId}", reply.Channel, reply.BurstId);
                await EndReplyAsync(reply, EndReason.LeaseLost, null);
            }
        }

        LeaveLostChannelsQueuedAudio();
    }

    /// <summary>The registry's channels this gateway owns now and did not at the last tick; null when none (or when it is its site's only one).</summary>
    private List<byte>? ChannelsGainedSinceLastTick()
    {
        if (_ownership.Alone)
        {
            return null;
        }

        List<byte>? gained = null;
        foreach (var channel in _registry.Channels)
        {
            if (!_ownership.Owns(channel.Number))
            {
                _ownedAtLastTick.Remove(channel.Number);
            }
            else if (_ownedAtLastTick.Add(channel.Number))
            {
                (gained ??= []).Add(channel.Number);
            }
        }

        return gained;
    }

    /// <summary>
    /// A badge that came online while its first channel was between two owners was answered by neither: when this
    /// gateway gains a channel, the online badges whose first channel it is get their config, offers and unplayed list.
    /// </summary>
    private async Task CatchUpGainedBadgesAsync()
    {
        foreach (var badge in _registry.Badges.ToArray())
        {
            if (ServesBadge(badge.Id) && _presence.Get(badge.Id).State is not (PresenceState.Offline or PresenceState.Pocket))
            {
                await SendConfigAsync(badge.Id, force: true);
                await SendPendingOffersAsync(badge.Id);
                await SendUnplayedListAsync(badge.Id);
            }
        }
    }
}
