using Microsoft.Extensions.Logging;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Mirroring;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Gateway.Storage.Sqlite;

namespace WalkieTalkie.Gateway.MatrixBridge.Adapters;

/// <summary>
/// <see cref="IPermitTable"/> on the gateway's registry: the channel's member badges that have a Matrix account, their
/// rows of the <c>permits</c> table (dated by <see cref="IPermitChangeTimes"/>), and changes from the room written
/// through <see cref="SqlitePermitStore"/>, which bumps the registry's change counter: the engine reloads and tells the
/// badge (<c>permit-offer</c>, <c>permit-revoked</c>, <c>config</c>) as for a CLI change.
/// </summary>
/// <remarks>
/// How the two models meet: the grant is the offered bits (receive, send) and <c>until</c>; priority is the badge's
/// own setting (<c>walkie badge add --priority</c>), which a room event does not change; the consent is the
/// accepted receive bit, without an expiry of its own (the gateway's <c>until</c> ends the whole permit). A room
/// accept arriving before the permit it needs (one plan can hold both) is kept until the grant is applied.
/// </remarks>
public sealed class LinkedBadgeTable(BridgeStores stores, ILogger logger, TimeProvider? time = null)
    : IPermitTable
{
    private readonly IPermitStore _store = stores.Permits;
    private readonly IPermitChangeTimes _times = stores.PermitTimes;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<(string, string), ConsentChanged> _consentAwaitingGrant = new();
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public IReadOnlyList<BadgeAccount> BadgesOf(string channel) =>
        stores.Links.BadgesOf(channel).Select(b => new BadgeAccount(b.BadgeId, new DeviceKey(b.UserId, b.DeviceId)))
            .Concat(stores.Links.PersonalDevicesOf(channel).Select(d => new BadgeAccount(d.BadgeId, new DeviceKey(d.UserId, d.DeviceId), ConsentInRoom: true)))
            .ToList();

    /// <inheritdoc />
    public IReadOnlyList<GatewayPermit> RowsOf(string channel)
    {
        lock (_lock)
        {
            var registry = stores.Registry.Load();
            if (registry.Channels.FirstOrDefault(c => c.Name == channel) is not { } record)
            {
                return [];
            }

            var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var rows = new List<GatewayPermit>();
            foreach (var badge in stores.Links.BadgesOf(channel).Concat(stores.Links.PersonalDevicesOf(channel)))
            {
                var row = registry.Permit(badge.BadgeId, record.Number);
                var seen = _times.Observe(badge.BadgeId, channel, row?.Offered ?? 0, row?.Accepted ?? 0, row?.Until ?? 0, nowMs);
                var priority = registry.Badge(badge.BadgeId)?.Priority ?? false;
                rows.Add(ToPermit(badge, channel, seen, priority));
            }
            return rows;
        }
    }

    /// <inheritdoc />
    public void Apply(GatewayPermitChange change)
    {
        lock (_lock)
        {
            var registry = stores.Registry.Load();
            if (registry.Channels.FirstOrDefault(c => c.Name == change.Channel) is not { } channel)
            {
                logger.LogWarning("Permit change from the room not applied: channel {Channel} is gone", change.Channel);
                return;
            }
            try
            {
                switch (change)
                {
                    case GrantChanged grant:
                        ApplyGrant(grant, channel.Number, registry.Badge(grant.BadgeId)?.Priority ?? false);
                        break;
                    case ConsentChanged consent:
                        ApplyConsent(consent, channel.Number);
                        break;
                }
            }
            catch (RegistryException e)
            {
                logger.LogWarning("Permit change from the room not applied to badge {Badge} on {Channel}: {Error}",
                    change.BadgeId, change.Channel, e.Message);
            }
        }
    }

    private void ApplyGrant(GrantChanged change, byte channel, bool badgePriority)
    {
        var grant = change.Grant;
        var bits = (byte)((grant.Receive ? PermitBits.Receive : 0) | (grant.Send ? PermitBits.Send : 0));
        var key = (change.BadgeId, change.Channel);
        if (bits == 0)
        {
            _store.Revoke(change.BadgeId, channel);
        }
        else
        {
            _store.Grant(change.BadgeId, channel, bits, grant.Until, change.Sender, accepted: false);
        }

        var consentAt = (long?)null;
        if (bits != 0 && _consentAwaitingGrant.Remove(key, out var waiting))
        {
            ApplyConsentBits(waiting, channel);
            consentAt = waiting.Consent.ChangedAt.ToUnixTimeMilliseconds();
        }
        if (grant.Priority != badgePriority)
        {
            logger.LogInformation("Badge {Badge}: the room's permit says priority {Priority}, but priority is the badge's own setting ({Own}); kept",
                change.BadgeId, grant.Priority, badgePriority);
        }

        var row = stores.Registry.Load().Permit(change.BadgeId, channel);
        var before = _times.Find(change.BadgeId, change.Channel);
        _times.Save(change.BadgeId, change.Channel, new SeenPermit(row?.Offered ?? 0, row?.Accepted ?? 0, row?.Until ?? 0,
            grant.ChangedAt.ToUnixTimeMilliseconds(), consentAt ?? ConsentDate(before, row)));
        logger.LogInformation("Permit of badge {Badge} on {Channel} set from the room by {Sender} ({Event}): receive {Receive}, send {Send}, until {Until}",
            change.BadgeId, change.Channel, change.Sender, change.EventId, grant.Receive, grant.Send, grant.Until);
    }

    private void ApplyConsent(ConsentChanged change, byte channel)
    {
        var held = ApplyConsentBits(change, channel);
        if (held is null && change.Consent.Receive)
        {
            // Nothing offered yet: the permit event of the same plan (or a later one) brings it.
            _consentAwaitingGrant[(change.BadgeId, change.Channel)] = change;
            return;
        }
        var row = stores.Registry.Load().Permit(change.BadgeId, channel);
        var before = _times.Find(change.BadgeId, change.Channel);
        _times.Save(change.BadgeId, change.Channel, new SeenPermit(row?.Offered ?? 0, row?.Accepted ?? 0, row?.Until ?? 0,
            before?.GrantChangedMs ?? 0, change.Consent.ChangedAt.ToUnixTimeMilliseconds()));
        logger.LogInformation("Consent of badge {Badge} on {Channel} set from the room by {Sender} ({Event}): receive {Receive}",
            change.BadgeId, change.Channel, change.Sender, change.EventId, change.Consent.Receive);
    }

    private byte? ApplyConsentBits(ConsentChanged change, byte channel) =>
        change.Consent.Receive
            ? _store.Accept(change.BadgeId, channel, PermitBits.Known)
            : _store.Withdraw(change.BadgeId, channel, PermitBits.Known);

    // A grant written by the bridge can change the accepted bits too (a narrower offer keeps only what it still
    // offers): that is a consent change of the same moment, not an older one.
    private long ConsentDate(SeenPermit? before, PermitRecord? row) =>
        before is null ? 0 : before.Accepted == (row?.Accepted ?? 0) ? before.ConsentChangedMs : _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static GatewayPermit ToPermit(BadgeLink badge, string channel, SeenPermit seen, bool priority)
    {
        DateTimeOffset? until = seen.Until == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seen.Until);
        var receive = (seen.Offered & PermitBits.Receive) != 0;
        var send = (seen.Offered & PermitBits.Send) != 0;
        var grant = new GatewayGrant(receive, send, (receive || send) && priority, until, FromMs(seen.GrantChangedMs));
        var consent = new GatewayConsent((seen.Accepted & PermitBits.Receive) != 0, null, FromMs(seen.ConsentChangedMs));
        return new GatewayPermit(badge.BadgeId, new DeviceKey(badge.UserId, badge.DeviceId), channel, consent, grant);
    }

    private static DateTimeOffset FromMs(long ms) => ms <= 0 ? DateTimeOffset.MinValue : DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
