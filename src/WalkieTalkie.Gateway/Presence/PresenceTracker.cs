using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Presence;

/// <summary>
/// Tracks each badge's state from its <c>badge-state</c> and <c>sleep</c> announcements, its last will, the broker's
/// connect and disconnect events, and its traffic. Plain and single-threaded, with an injectable clock.
/// </summary>
public sealed class PresenceTracker(TimeProvider time)
{
    private readonly Dictionary<string, BadgePresence> _badges = new();

    public IEnumerable<BadgePresence> All => _badges.Values;

    public BadgePresence Get(string badgeId)
    {
        if (!_badges.TryGetValue(badgeId, out var presence))
        {
            presence = new BadgePresence(badgeId);
            _badges[badgeId] = presence;
        }

        return presence;
    }

    /// <summary>
    /// Applies a <c>badge-state</c>; returns true when the badge came online: it was offline or in its pocket, or this
    /// is its first announcement since it connected (a badge subscribes before it announces, so only now can it
    /// receive what it is owed).
    /// </summary>
    public bool OnState(string badgeId, BadgeState state)
    {
        var presence = Get(badgeId);
        var wasAway = presence.State is PresenceState.Offline or PresenceState.Pocket || !presence.Announced;
        presence.Announced = state.Status != BadgeStatus.Offline;
        presence.Subscribing = false;
        presence.LastSeen = time.GetUtcNow();
        presence.BatteryPercent = state.BatteryPercent;
        presence.Rssi = state.Rssi;
        presence.Firmware = state.Firmware;
        presence.State = state.Status switch
        {
            BadgeStatus.Talking => PresenceState.Talking,
            BadgeStatus.Listening => PresenceState.Listening,
            BadgeStatus.Standby => PresenceState.Standby,
            BadgeStatus.Pocket => PresenceState.Pocket,
            BadgeStatus.Offline => PresenceState.Offline,
            _ => PresenceState.Idle,
        };
        if (presence.State != PresenceState.Pocket)
        {
            presence.PocketUntil = null;
        }

        return wasAway && presence.State is not (PresenceState.Offline or PresenceState.Pocket);
    }

    /// <summary>Applies a <c>sleep</c> announcement.</summary>
    public void OnSleep(string badgeId, SleepAnnouncement sleep)
    {
        var presence = Get(badgeId);
        presence.LastSeen = time.GetUtcNow();
        presence.Subscribing = false;
        if (sleep.Mode == SleepMode.Pocket)
        {
            presence.State = PresenceState.Pocket;
            presence.PocketUntil = sleep.NextCheckInSeconds == 0 ? null : time.GetUtcNow().AddSeconds(sleep.NextCheckInSeconds);
        }
        else
        {
            presence.State = PresenceState.Standby;
            presence.PocketUntil = null;
        }
    }

    /// <summary>
    /// The broker saw the badge connect; returns true when it came online. It hears nothing live until it has sent
    /// something (it subscribes before it sends anything): <see cref="BadgePresence.Subscribing"/>.
    /// </summary>
    public bool OnConnected(string badgeId)
    {
        var presence = Get(badgeId);
        presence.LastSeen = time.GetUtcNow();
        presence.Announced = false;
        presence.Subscribing = true;
        if (presence.State is PresenceState.Offline or PresenceState.Pocket)
        {
            presence.State = PresenceState.Idle;
            presence.PocketUntil = null;
            return true;
        }

        return false;
    }

    /// <summary>The badge's connection ended. A pocket badge stays in its pocket (deep sleep drops the link); others go offline.</summary>
    public void OnDisconnected(string badgeId)
    {
        var presence = Get(badgeId);
        presence.Announced = false;
        presence.Subscribing = false;
        if (presence.State != PresenceState.Pocket)
        {
            presence.State = PresenceState.Offline;
        }
    }

    /// <summary>Any message from the badge shows it is awake; returns true when it came online.</summary>
    public bool OnTraffic(string badgeId)
    {
        var presence = Get(badgeId);
        presence.LastSeen = time.GetUtcNow();
        presence.Subscribing = false;
        if (presence.State is PresenceState.Offline or PresenceState.Pocket)
        {
            presence.State = PresenceState.Idle;
            presence.PocketUntil = null;
            return true;
        }

        return false;
    }

    /// <summary>The engine marks a badge as talking or listening (or back to idle) as bursts start and end.</summary>
    public void Set(string badgeId, PresenceState state) => Get(badgeId).State = state;
}
