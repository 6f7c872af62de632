using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Web.Console;

/// <summary>
/// The console's live overview: an engine observer that keeps every badge's presence (with its battery trend) and every
/// channel's floor holder, and pushes what changed to the browsers watching, at most once per <see cref="Coalescing"/>
/// (a thousand badges waking at once are one message, not a thousand). Each browser gets only the channels it may see.
/// </summary>
/// <remarks>
/// The observer calls only note the change under a lock and return; the timer builds and hands out the messages. The
/// presence written by the last run (the status store) fills in badges not heard from since the gateway started.
/// The timer runs only while a browser watches: a gateway nobody watches is not woken five times a second for
/// nothing (each wake-up is a timer thread's and a pool thread's, dear on a small machine that idles all day).
/// </remarks>
public sealed class ConsoleLive : IGatewayObserver, IDisposable
{
    public static readonly TimeSpan Coalescing = TimeSpan.FromMilliseconds(200);

    private readonly object _gate = new();
    private readonly Dictionary<string, PresenceRecord> _presence = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _batteryTrend = new(StringComparer.Ordinal);
    private readonly Dictionary<byte, BurstInfo> _holders = [];
    private readonly HashSet<string> _changedBadges = new(StringComparer.Ordinal);
    private readonly HashSet<byte> _changedChannels = [];
    private readonly List<ConsoleSubscription> _subscriptions = [];
    private readonly CurrentRegistry _registry;
    private readonly IStatusStore _status;
    private readonly IZoneStore _zones;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private Dictionary<string, string> _zoneOf = new(StringComparer.Ordinal);
    private bool _zonesOn;
    private bool _storedPresenceRead;
    private long _registryVersion = -1;
    private ILookup<string, byte> _channelsOf = Array.Empty<(string, byte)>().ToLookup(m => m.Item1, m => m.Item2);

    public ConsoleLive(CurrentRegistry registry, IStatusStore status, IZoneStore zones, TimeProvider time)
    {
        _registry = registry;
        _status = status;
        _zones = zones;
        _time = time;
        _timer = time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Everything <paramref name="visible"/> covers now (null: every channel).</summary>
    public ConsoleOverview Snapshot(IReadOnlySet<byte>? visible)
    {
        ReadStoredState();
        lock (_gate)
        {
            var snapshot = CurrentSnapshot();
            var badges = snapshot.Badges.Select(b => BadgeView(snapshot, b.Id)).Where(b => Sees(visible, b)).OrderBy(b => b.Name, StringComparer.Ordinal);
            var channels = snapshot.Channels.Where(c => ConsoleAccess.Includes(visible, c.Number)).OrderBy(c => c.Number).Select(c => ChannelView(snapshot, c));
            return new ConsoleOverview("snapshot", _time.GetUtcNow().ToUnixTimeMilliseconds(), _zonesOn, [.. badges], [.. channels]);
        }
    }

    /// <summary>Starts pushing to one browser; <paramref name="access"/> says which channels it sees (asked again when the registry changes).</summary>
    public ConsoleSubscription Subscribe(Func<IReadOnlySet<byte>?> access)
    {
        var subscription = new ConsoleSubscription(access, s =>
        {
            lock (_gate)
            {
                if (_subscriptions.Remove(s) && _subscriptions.Count == 0)
                {
                    _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                }
            }
        });
        lock (_gate)
        {
            _subscriptions.Add(subscription);
            if (_subscriptions.Count == 1)
            {
                // What changed while nobody watched is in the snapshot the browser reads first.
                _changedBadges.Clear();
                _changedChannels.Clear();
                _timer.Change(Coalescing, Coalescing);
            }
        }

        return subscription;
    }

    /// <summary>Browsers watching now.</summary>
    public int Watching
    {
        get
        {
            lock (_gate)
            {
                return _subscriptions.Count;
            }
        }
    }

    void IGatewayObserver.OnPresenceChanged(PresenceRecord presence)
    {
        lock (_gate)
        {
            // An unknown reading (outside 0..100) is no step in a trend.
            if (_presence.TryGetValue(presence.BadgeId, out var before) && before.BatteryPercent != presence.BatteryPercent
                && before.BatteryPercent is >= 0 and <= 100 && presence.BatteryPercent is >= 0 and <= 100)
            {
                _batteryTrend[presence.BadgeId] = presence.BatteryPercent < before.BatteryPercent ? "falling" : "rising";
            }

            _presence[presence.BadgeId] = presence;
            _changedBadges.Add(presence.BadgeId);
        }
    }

    void IGatewayObserver.OnBurstStarted(BurstInfo burst)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(burst.Channel, out var before) && before.Talker.IsBadge)
            {
                _changedBadges.Add(before.Talker.Name);
            }

            _holders[burst.Channel] = burst;
            _changedChannels.Add(burst.Channel);
            if (burst.Talker.IsBadge)
            {
                _changedBadges.Add(burst.Talker.Name);
            }
        }
    }

    void IGatewayObserver.OnBurstEnded(BurstInfo burst, EndReason reason)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(burst.Channel, out var holder) && holder.BurstId == burst.BurstId)
            {
                _holders.Remove(burst.Channel);
                _changedChannels.Add(burst.Channel);
            }

            if (burst.Talker.IsBadge)
            {
                _changedBadges.Add(burst.Talker.Name);
            }
        }
    }

    /// <summary>Hands what changed since the last call to every browser watching (the timer calls it; tests may too).</summary>
    public void Flush()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        List<(ConsoleSubscription Subscription, ConsoleOverview Message)> deliveries;
        lock (_gate)
        {
            if (_subscriptions.Count == 0)
            {
                _changedBadges.Clear();
                _changedChannels.Clear();
                return;
            }

            var registryMoved = _registry.Snapshot.Version != _registryVersion;
            if (!registryMoved && _changedBadges.Count == 0 && _changedChannels.Count == 0)
            {
                return;
            }

            var snapshot = CurrentSnapshot();
            deliveries = new List<(ConsoleSubscription, ConsoleOverview)>(_subscriptions.Count);
            if (registryMoved)
            {
                // Badges or channels came or went, or a user's channels changed: everyone starts again from a snapshot.
                foreach (var subscription in _subscriptions)
                {
                    subscription.Visible = subscription.Access();
                    var badges = snapshot.Badges.Select(b => BadgeView(snapshot, b.Id)).Where(b => Sees(subscription.Visible, b)).ToArray();
                    var channels = snapshot.Channels.Where(c => ConsoleAccess.Includes(subscription.Visible, c.Number)).Select(c => ChannelView(snapshot, c)).ToArray();
                    deliveries.Add((subscription, new ConsoleOverview("snapshot", now, _zonesOn, badges, channels)));
                }
            }
            else
            {
                var badges = _changedBadges.Where(id => snapshot.Badge(id) is not null).Select(id => BadgeView(snapshot, id)).ToArray();
                var channels = _changedChannels.Select(snapshot.Channel).OfType<ChannelRecord>().Select(c => ChannelView(snapshot, c)).ToArray();
                var everything = new ConsoleOverview("update", now, _zonesOn, badges, channels);
                foreach (var subscription in _subscriptions)
                {
                    var visible = subscription.Visible;
                    var message = visible is null ? everything
                        : everything with { Badges = [.. badges.Where(b => Sees(visible, b))], Channels = [.. channels.Where(c => visible.Contains(c.Number))] };
                    if (message.Badges.Count > 0 || message.Channels.Count > 0)
                    {
                        deliveries.Add((subscription, message));
                    }
                }
            }

            _changedBadges.Clear();
            _changedChannels.Clear();
        }

        foreach (var (subscription, message) in deliveries)
        {
            subscription.Offer(message);
        }
    }

    private static bool Sees(IReadOnlySet<byte>? visible, ConsoleBadgeView badge) => visible is null || badge.Channels.Any(c => visible.Contains((byte)c));

    private RegistrySnapshot CurrentSnapshot()
    {
        var snapshot = _registry.Snapshot;
        if (snapshot.Version != _registryVersion)
        {
            _channelsOf = snapshot.Memberships.ToLookup(m => m.BadgeId, m => m.Channel, StringComparer.Ordinal);
            _registryVersion = snapshot.Version;
        }

        return snapshot;
    }

    /// <summary>Presence from the last run for badges not heard from yet, and the zones (read with each snapshot).</summary>
    private void ReadStoredState()
    {
        var stored = _storedPresenceRead ? [] : _status.Presence();
        var zonesOn = _zones.List().Count > 0;
        var zoneOf = zonesOn ? _zones.Locations().Where(l => l.Zone.Length > 0).ToDictionary(l => l.BadgeId, l => l.Zone, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var presence in stored)
            {
                _presence.TryAdd(presence.BadgeId, presence);
            }

            _storedPresenceRead = true;
            _zonesOn = zonesOn;
            _zoneOf = zoneOf;
        }
    }

    private ConsoleBadgeView BadgeView(RegistrySnapshot snapshot, string id)
    {
        var presence = _presence.GetValueOrDefault(id);
        var talking = _holders.Values.Any(h => h.Talker.IsBadge && h.Talker.Name == id);
        return new ConsoleBadgeView(id, snapshot.Badge(id)?.Name ?? id, talking ? "talking" : presence?.State ?? "offline", presence?.UntilSeconds ?? 0,
            presence?.LastSeenMs ?? 0, presence?.BatteryPercent ?? -1, _batteryTrend.GetValueOrDefault(id, ""), presence?.Rssi ?? 0,
            presence?.Firmware ?? "", [.. _channelsOf[id].Order().Select(c => (int)c)], _zoneOf.GetValueOrDefault(id, ""));
    }

    private ConsoleChannelView ChannelView(RegistrySnapshot snapshot, ChannelRecord channel)
    {
        var holder = _holders.GetValueOrDefault(channel.Number);
        var holderName = holder is null ? null : holder.Talker.IsBadge ? snapshot.Badge(holder.Talker.Name)?.Name ?? holder.Talker.Name : holder.Talker.Name;
        return new ConsoleChannelView(channel.Number, channel.Name, holder?.Talker.Key, holderName, holder?.StartedAt.ToUnixTimeMilliseconds() ?? 0,
            holder?.Priority ?? false, channel.RetentionDays);
    }

    public void Dispose() => _timer.Dispose();
}
