using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.State;

namespace WalkieTalkie.Bridge.Mirroring;

/// <summary>
/// Mirrors the gateway's permit table and a room's accept and permit events both ways, as a pure decision.
/// Per badge and per half (consent, grant): when both sides say the same, nothing happens; otherwise the newer
/// side wins, comparing the gateway's <c>ChangedAt</c> with the room event's <c>origin_server_ts</c> (a tie goes
/// to the gateway). Only a valid room event is ever applied to the gateway; a refused one (hostile, or from a
/// user without the power) is overwritten with the gateway's view.
/// </summary>
public static class PermitMirror
{
    /// <summary>Plans the mirroring of one channel's permits.</summary>
    /// <param name="channel">The channel linked to the room.</param>
    /// <param name="badges">The badges of the channel and their Matrix devices.</param>
    /// <param name="table">The gateway's permit rows for this channel (badges without a row have nothing).</param>
    /// <param name="room">The room's walkie state.</param>
    /// <param name="granterUserId">The account the gateway sends permits from.</param>
    public static MirrorPlan Plan(string channel, IEnumerable<BadgeAccount> badges, IEnumerable<GatewayPermit> table,
        RoomWalkieState room, string granterUserId)
    {
        var rows = table.Where(r => r.Channel == channel).ToDictionary(r => r.BadgeId);
        var send = new List<OutgoingStateEvent>();
        var apply = new List<GatewayPermitChange>();
        var notes = new List<MirrorNote>();
        foreach (var badge in badges)
        {
            var row = rows.GetValueOrDefault(badge.BadgeId);
            if (row is not null && row.Device != badge.Device)
            {
                notes.Add(new MirrorNote(badge.BadgeId, $"permit row names device {row.Device} but the badge runs {badge.Device}; skipped"));
                continue;
            }
            PlanConsent(channel, badge, row?.Consent ?? GatewayConsent.None, room.AcceptOf(badge.Device), room.PowerLevels, send, apply, notes);
            PlanGrant(channel, badge, row?.Grant ?? GatewayGrant.None, room.PermitOf(badge.Device), room.PowerLevels,
                granterUserId, send, apply, notes);
        }
        PlanRetiredDevices(badges, room, granterUserId, send, notes);
        return new MirrorPlan(send, apply, notes);
    }

    // A badge whose keys were lost gets a new device id; the old device's events would keep it listed as
    // listening. Withdraw and revoke what the room still grants to a badge account's other devices.
    private static void PlanRetiredDevices(IEnumerable<BadgeAccount> badges, RoomWalkieState room, string granter,
        List<OutgoingStateEvent> send, List<MirrorNote> notes)
    {
        var current = badges.Select(b => b.Device).ToHashSet();
        // A person's devices are theirs to manage: only the gateway's own badge accounts retire devices.
        var badgeUsers = badges.Where(b => !b.ConsentInRoom).Select(b => b.Device.UserId).ToHashSet(StringComparer.Ordinal);
        foreach (var device in room.Devices.Where(d => badgeUsers.Contains(d.UserId) && !current.Contains(d)).OrderBy(d => d.StateKey, StringComparer.Ordinal))
        {
            if (room.AcceptOf(device) is { Value.Receive: true } accept)
            {
                if (room.PowerLevels.MaySendState(device.UserId, WalkieEventTypes.Accept))
                {
                    send.Add(OutgoingStateEvent.Create(device.UserId, WalkieEventTypes.Accept, device.StateKey,
                        new WalkieAccept(device, false).ToContent(), TimestampOf(accept.Event), Replaced(accept.Event)));
                }
                else
                {
                    notes.Add(new MirrorNote(device.UserId,
                        AcceptRefused(device.UserId, room.PowerLevels, $"retired device {device.DeviceId} stays listed as listening")));
                }
            }

            if (room.PermitOf(device) is { Value.Receive: true } permit)
            {
                if (room.PowerLevels.MaySendState(granter, WalkieEventTypes.Permit))
                {
                    send.Add(OutgoingStateEvent.Create(granter, WalkieEventTypes.Permit, device.StateKey,
                        WalkiePermit.Revoked(device).ToContent(), TimestampOf(permit.Event), Replaced(permit.Event)));
                }
                else
                {
                    notes.Add(new MirrorNote(device.UserId, $"retired device {device.DeviceId} keeps its permit: {granter} lacks the power to revoke it"));
                }
            }
        }
    }

    private static void PlanConsent(string channel, BadgeAccount badge, GatewayConsent mine, StateEntry<WalkieAccept>? entry,
        RoomPowerLevels levels, List<OutgoingStateEvent> send, List<GatewayPermitChange> apply, List<MirrorNote> notes)
    {
        // The gateway's table keeps no expiry of a consent (LinkedBadgeTable): for a consent that lives in the room only
        // the receive bit is compared, or an accept with an expiry would be applied again at every plan.
        if (mine.SameAs(entry?.Value) || badge.ConsentInRoom && mine.Receive == (entry?.Value?.Receive ?? false))
        {
            return;
        }

        if (entry?.Value is { } theirs && (badge.ConsentInRoom || IsNewer(entry.Event, mine.ChangedAt)))
        {
            apply.Add(new ConsentChanged(badge.BadgeId, channel, entry.Event.Sender, entry.Event.EventId,
                new GatewayConsent(theirs.Receive, theirs.ExpiresAt, TimestampOf(entry.Event))));
            return;
        }
        if (badge.ConsentInRoom)
        {
            // No valid accept of its own user in the room: the device has not consented, whatever the gateway held.
            apply.Add(new ConsentChanged(badge.BadgeId, channel, badge.Device.UserId, entry?.Event.EventId,
                new GatewayConsent(false, null, entry is null ? mine.ChangedAt : TimestampOf(entry.Event))));
            return;
        }

        // The homeserver would refuse it (403) at every plan: say why once the levels are known, and send nothing.
        if (!levels.MaySendState(badge.Device.UserId, WalkieEventTypes.Accept))
        {
            notes.Add(new MirrorNote(badge.BadgeId, AcceptRefused(badge.Device.UserId, levels, "the room keeps its accept")));
            return;
        }

        var accept = new WalkieAccept(badge.Device, mine.Receive, mine.Until);
        send.Add(OutgoingStateEvent.Create(badge.Device.UserId, WalkieEventTypes.Accept, badge.Device.StateKey,
            accept.ToContent(), mine.ChangedAt, Replaced(entry?.Event)));
    }

    private static void PlanGrant(string channel, BadgeAccount badge, GatewayGrant mine, StateEntry<WalkiePermit>? entry,
        RoomPowerLevels levels, string granter, List<OutgoingStateEvent> send, List<GatewayPermitChange> apply, List<MirrorNote> notes)
    {
        if (mine.SameAs(entry?.Value))
        {
            return;
        }

        if (entry?.Value is { } theirs && IsNewer(entry.Event, mine.ChangedAt))
        {
            apply.Add(new GrantChanged(badge.BadgeId, channel, entry.Event.Sender, entry.Event.EventId,
                new GatewayGrant(theirs.Receive, theirs.Send, theirs.Priority, theirs.ExpiresAt, TimestampOf(entry.Event))));
            return;
        }
        if (!levels.MaySendState(granter, WalkieEventTypes.Permit))
        {
            notes.Add(new MirrorNote(badge.BadgeId,
                $"{granter} has power level {levels.UserLevel(granter)} but permits need {levels.RequiredForState(WalkieEventTypes.Permit)}; the room keeps its permit"));
            return;
        }
        var permit = new WalkiePermit(badge.Device, mine.Receive, mine.Send, mine.Priority, mine.Until);
        send.Add(OutgoingStateEvent.Create(granter, WalkieEventTypes.Permit, badge.Device.StateKey, permit.ToContent(), mine.ChangedAt,
            Replaced(entry?.Event)));
    }

    private static string AcceptRefused(string account, RoomPowerLevels levels, string consequence) =>
        $"{account} has power level {levels.UserLevel(account)} but accepts need {levels.RequiredForState(WalkieEventTypes.Accept)}, " +
        $"so the homeserver would refuse it; {consequence}. The room's power levels must set {WalkieEventTypes.Accept} to " +
        $"{WalkieStateEvents.AcceptLevel}: walkie channel link again once the granter has power level 100, or a room admin sets it";

    private static string? Replaced(RoomStateEvent? ev) => ev is null ? null : ev.EventId ?? $"{ev.Sender}@{ev.OriginServerTs}";

    private static bool IsNewer(RoomStateEvent ev, DateTimeOffset changedAt) => ev.OriginServerTs > changedAt.ToUnixTimeMilliseconds();

    private static DateTimeOffset TimestampOf(RoomStateEvent ev) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(ev.OriginServerTs, 0, 253_402_300_799_999));
}
