using System.Text.Json;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Mirroring;
using WalkieTalkie.Bridge.State;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Mirroring;

public class PermitMirrorTests
{
    private const string Gateway = "@gateway:example.org";
    private const string Channel = "yard";
    private static readonly BadgeAccount AnnaBadge = new("anna", Ev.AnnaKey);
    private static readonly BadgeAccount[] Badges = [AnnaBadge];

    private static GatewayPermit Row(GatewayConsent consent, GatewayGrant grant) => new("anna", Ev.AnnaKey, Channel, consent, grant);

    private static RoomWalkieState Room(params RoomStateEvent[] events)
    {
        var room = new RoomWalkieState(Ev.LinkedRoomPowerLevels());
        foreach (var ev in events)
        {
            room.Apply(ev);
        }

        return room;
    }

    /// <summary>What the homeserver does with a sent state event: it comes back in the room with a later timestamp.</summary>
    private static void Echo(RoomWalkieState room, IEnumerable<OutgoingStateEvent> sent, long ts)
    {
        foreach (var e in sent)
        {
            room.Apply(new RoomStateEvent(e.Type, e.StateKey, e.SendAs, Ev.Json(e.Content.ToJsonString()), ts, "$" + e.TransactionId));
        }
    }

    [Fact]
    public void A_grant_and_consent_on_the_gateway_are_written_to_the_room_from_the_right_accounts()
    {
        var row = Row(new GatewayConsent(true, null, Ev.At(5_000)), new GatewayGrant(true, true, false, Ev.At(90_000), Ev.At(4_000)));
        var plan = PermitMirror.Plan(Channel, Badges, [row], Room(), Gateway);

        Assert.Empty(plan.ToApply);
        Assert.Equal(2, plan.ToSend.Count);
        var accept = plan.ToSend.Single(e => e.Type == WalkieEventTypes.Accept);
        Assert.Equal(Ev.Anna, accept.SendAs);
        Assert.Equal(Ev.AnnaKey.StateKey, accept.StateKey);
        Assert.Equal("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","receive":true}""", accept.Content.ToJsonString());
        var permit = plan.ToSend.Single(e => e.Type == WalkieEventTypes.Permit);
        Assert.Equal(Gateway, permit.SendAs);
        Assert.Equal("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","receive":true,"send":true,"priority":false,"expires_ts":90000}""",
            permit.Content.ToJsonString());
    }

    [Fact]
    public void What_it_sends_is_valid_in_the_room_and_nothing_is_sent_again_after_the_echo()
    {
        var row = Row(new GatewayConsent(true, null, Ev.At(5_000)), new GatewayGrant(true, true, true, null, Ev.At(5_000)));
        var room = Room();
        var plan = PermitMirror.Plan(Channel, Badges, [row], room, Gateway);
        Echo(room, plan.ToSend, 6_000);

        Assert.Equal(new DeviceRights(true, true, true, null), room.RightsAt(Ev.AnnaKey, Ev.At(7_000)));
        Assert.True(PermitMirror.Plan(Channel, Badges, [row], room, Gateway).IsEmpty);
    }

    [Fact]
    public void Planning_again_before_the_echo_gives_the_same_transaction_ids()
    {
        var row = Row(new GatewayConsent(true, null, Ev.At(5_000)), new GatewayGrant(true, false, false, null, Ev.At(5_000)));
        var first = PermitMirror.Plan(Channel, Badges, [row], Room(), Gateway).ToSend.Select(e => e.TransactionId);
        var again = PermitMirror.Plan(Channel, Badges, [row], Room(), Gateway).ToSend.Select(e => e.TransactionId);
        Assert.Equal(first, again);
        var later = row with { Grant = row.Grant with { ChangedAt = Ev.At(8_000) } };
        Assert.NotEqual(first, PermitMirror.Plan(Channel, Badges, [later], Room(), Gateway).ToSend.Select(e => e.TransactionId));
    }

    [Fact]
    public void A_newer_permit_from_a_user_with_the_power_is_applied_to_the_gateway()
    {
        var row = Row(new GatewayConsent(true, null, Ev.At(1_000)), new GatewayGrant(true, false, false, null, Ev.At(1_000)));
        var room = Room(Ev.Accept(Ev.AnnaKey, Ev.Anna, Ev.AcceptContent(Ev.AnnaKey), ts: 1_500),
            Ev.Permit(Ev.AnnaKey, Ev.Parent, Ev.PermitContent(Ev.AnnaKey, send: true, priority: true, expires: 99_000), ts: 2_000));
        var plan = PermitMirror.Plan(Channel, Badges, [row], room, Gateway);

        Assert.Empty(plan.ToSend);
        var change = Assert.IsType<GrantChanged>(Assert.Single(plan.ToApply));
        Assert.Equal(("anna", Channel, Ev.Parent), (change.BadgeId, change.Channel, change.Sender));
        Assert.Equal(new GatewayGrant(true, true, true, Ev.At(99_000), Ev.At(2_000)), change.Grant);

        var applied = row with { Grant = change.Grant };
        Assert.True(PermitMirror.Plan(Channel, Badges, [applied], room, Gateway).IsEmpty);
    }

    [Fact]
    public void A_newer_accept_from_the_badges_account_is_applied()
    {
        var row = Row(new GatewayConsent(true, null, Ev.At(1_000)), GatewayGrant.None);
        var room = Room(Ev.Accept(Ev.AnnaKey, Ev.Anna, "{}", ts: 3_000));
        var change = Assert.IsType<ConsentChanged>(Assert.Single(PermitMirror.Plan(Channel, Badges, [row], room, Gateway).ToApply));
        Assert.Equal(new GatewayConsent(false, null, Ev.At(3_000)), change.Consent);
    }

    [Fact]
    public void A_refused_event_is_never_applied_and_the_gateway_overwrites_it()
    {
        var row = Row(new GatewayConsent(true, null, Ev.At(1_000)), new GatewayGrant(true, false, false, null, Ev.At(1_000)));
        var room = Room(Ev.Accept(Ev.AnnaKey, Ev.Stranger, Ev.AcceptContent(Ev.AnnaKey, receive: false), ts: 5_000),
            Ev.Permit(Ev.AnnaKey, Ev.Stranger, Ev.PermitContent(Ev.AnnaKey, send: true, priority: true), ts: 5_000));
        var plan = PermitMirror.Plan(Channel, Badges, [row], room, Gateway);

        Assert.Empty(plan.ToApply);
        Assert.Equal([WalkieEventTypes.Accept, WalkieEventTypes.Permit], plan.ToSend.Select(e => e.Type).Order());
        Echo(room, plan.ToSend, 6_000);
        Assert.True(PermitMirror.Plan(Channel, Badges, [row], room, Gateway).IsEmpty);
    }

    [Fact]
    public void Repairing_a_hostile_overwrite_gets_a_new_transaction_id()
    {
        var row = Row(new GatewayConsent(true, null, Ev.At(1_000)), new GatewayGrant(true, true, false, null, Ev.At(1_000)));
        var room = Room();
        var first = PermitMirror.Plan(Channel, Badges, [row], room, Gateway).ToSend;
        Echo(room, first, 2_000);
        room.Apply(Ev.Permit(Ev.AnnaKey, Ev.Stranger, Ev.PermitContent(Ev.AnnaKey, priority: true), ts: 3_000));

        var repair = Assert.Single(PermitMirror.Plan(Channel, Badges, [row], room, Gateway).ToSend);
        Assert.Equal(WalkieEventTypes.Permit, repair.Type);
        Assert.DoesNotContain(repair.TransactionId, first.Select(e => e.TransactionId));
        Assert.Equal(repair.TransactionId, PermitMirror.Plan(Channel, Badges, [row], room, Gateway).ToSend.Single().TransactionId);
    }

    [Fact]
    public void A_newer_gateway_change_wins_over_an_older_room_event_and_a_tie_goes_to_the_gateway()
    {
        var room = Room(Ev.Permit(Ev.AnnaKey, Ev.Parent, Ev.PermitContent(Ev.AnnaKey, send: true), ts: 2_000));
        foreach (var changed in new[] { 3_000L, 2_000L })
        {
            var row = Row(GatewayConsent.None, new GatewayGrant(false, false, false, null, Ev.At(changed)));
            var plan = PermitMirror.Plan(Channel, Badges, [row], room, Gateway);
            Assert.Empty(plan.ToApply);
            var sent = Assert.Single(plan.ToSend);
            Assert.Equal(WalkieEventTypes.Permit, sent.Type);
            Assert.False(sent.Content["receive"]!.GetValue<bool>());
        }
    }

    [Fact]
    public void A_granter_without_the_power_sends_nothing_and_says_why()
    {
        var row = Row(GatewayConsent.None, new GatewayGrant(true, true, false, null, Ev.At(1_000)));
        var plan = PermitMirror.Plan(Channel, Badges, [row], Room(), "@nobody:example.org");
        Assert.Empty(plan.ToSend);
        Assert.Contains("permits need 50", Assert.Single(plan.Notes).Message);
    }

    [Fact]
    public void A_badge_account_below_the_accept_level_sends_no_accept_and_says_why()
    {
        // Synapse's levels for a new room, the granter raised to 50 and the room's levels not set for MSC4002: an
        // accept needs state_default (50), the badge's account has 0. The homeserver would refuse it (403) every time.
        var synapseDefaults = RoomPowerLevels.FromContent(Ev.Json(
            """{"users":{"@mum:example.org":100,"@gateway:example.org":50},"users_default":0,"events":{"m.room.power_levels":100},"state_default":50}"""));
        var row = Row(new GatewayConsent(true, null, Ev.At(1_000)), new GatewayGrant(true, true, false, null, Ev.At(1_000)));
        var plan = PermitMirror.Plan(Channel, Badges, [row], new RoomWalkieState(synapseDefaults), Gateway);

        Assert.DoesNotContain(plan.ToSend, e => e.Type == WalkieEventTypes.Accept);
        Assert.Equal(Gateway, Assert.Single(plan.ToSend, e => e.Type == WalkieEventTypes.Permit).SendAs); // the granter has 50: its permit goes
        var note = Assert.Single(plan.Notes).Message;
        Assert.Contains($"{Ev.Anna} has power level 0 but accepts need 50", note);
        Assert.Contains("power level 100", note);
    }

    [Fact]
    public void Nothing_on_either_side_sends_nothing()
    {
        Assert.True(PermitMirror.Plan(Channel, Badges, [], Room(), Gateway).IsEmpty);
        var explicitNone = Room(Ev.Accept(Ev.AnnaKey, Ev.Anna, Ev.AcceptContent(Ev.AnnaKey, receive: false)));
        Assert.True(PermitMirror.Plan(Channel, Badges, [], explicitNone, Gateway).IsEmpty);
    }

    [Fact]
    public void A_badge_without_a_row_gets_a_permit_granted_in_the_room()
    {
        var room = Room(Ev.Permit(Ev.AnnaKey, Ev.Parent, Ev.PermitContent(Ev.AnnaKey), ts: 2_000));
        var change = Assert.IsType<GrantChanged>(Assert.Single(PermitMirror.Plan(Channel, Badges, [], room, Gateway).ToApply));
        Assert.True(change.Grant.Send);
    }

    [Fact]
    public void Expiry_is_compared_at_millisecond_precision()
    {
        var until = Ev.At(90_000).AddTicks(1234); // the gateway's clock has ticks; the room has milliseconds
        var row = Row(GatewayConsent.None, new GatewayGrant(true, false, false, until, Ev.At(1_000)));
        var room = Room(Ev.Permit(Ev.AnnaKey, Ev.Parent, Ev.PermitContent(Ev.AnnaKey, send: false, expires: 90_000), ts: 500));
        Assert.True(PermitMirror.Plan(Channel, Badges, [row], room, Gateway).IsEmpty);
    }

    [Fact]
    public void Devices_that_are_not_our_badges_and_rows_of_other_channels_are_left_alone()
    {
        var phone = new DeviceKey("@mum:example.org", "PHONE");
        var room = Room(Ev.Permit(phone, Ev.Parent, Ev.PermitContent(phone), ts: 2_000));
        var otherChannel = new GatewayPermit("anna", Ev.AnnaKey, "family", new GatewayConsent(true, null, Ev.At(1)), GatewayGrant.None);
        Assert.True(PermitMirror.Plan(Channel, Badges, [otherChannel], room, Gateway).IsEmpty);
    }

    [Fact]
    public void A_retired_device_of_a_badge_account_is_withdrawn_and_revoked_once()
    {
        var old = new DeviceKey(Ev.Anna, "OLDDEVICE");
        var room = Room(Ev.Accept(old, Ev.Anna, Ev.AcceptContent(old), ts: 500), Ev.Permit(old, Ev.Parent, Ev.PermitContent(old), ts: 600));
        var plan = PermitMirror.Plan(Channel, Badges, [], room, Gateway);

        Assert.Equal(2, plan.ToSend.Count);
        Assert.All(plan.ToSend, e => Assert.Equal(old.StateKey, e.StateKey));
        Assert.Equal(Ev.Anna, plan.ToSend.Single(e => e.Type == WalkieEventTypes.Accept).SendAs);
        Assert.Equal(Gateway, plan.ToSend.Single(e => e.Type == WalkieEventTypes.Permit).SendAs);
        Echo(room, plan.ToSend, 1_000);
        Assert.Equal(DeviceRights.None, room.RightsAt(old, Ev.At(2_000)));
        Assert.True(PermitMirror.Plan(Channel, Badges, [], room, Gateway).IsEmpty);
    }

    [Fact]
    public void Devices_of_other_users_are_never_retired()
    {
        var phone = new DeviceKey(Ev.Parent, "PHONE");
        var room = Room(Ev.Accept(phone, Ev.Parent, Ev.AcceptContent(phone)), Ev.Permit(phone, Ev.Parent, Ev.PermitContent(phone)));
        Assert.True(PermitMirror.Plan(Channel, Badges, [], room, Gateway).IsEmpty);
    }

    [Fact]
    public void A_row_for_another_device_of_the_badge_is_skipped_with_a_note()
    {
        var stale = new GatewayPermit("anna", new DeviceKey(Ev.Anna, "OLDDEVICE"), Channel, new GatewayConsent(true, null, Ev.At(1)), GatewayGrant.None);
        var plan = PermitMirror.Plan(Channel, Badges, [stale], Room(), Gateway);
        Assert.True(plan.IsEmpty);
        Assert.Contains("OLDDEVICE", Assert.Single(plan.Notes).Message);
    }

    [Fact]
    public void Random_changes_on_both_sides_converge_and_then_stay_quiet()
    {
        var random = new Random(7);
        var ben = new BadgeAccount("ben", new DeviceKey("@walkie-ben:example.org", "WTBEN"));
        BadgeAccount[] badges = [AnnaBadge, ben];
        var table = badges.ToDictionary(b => b.BadgeId, b => new GatewayPermit(b.BadgeId, b.Device, Channel, GatewayConsent.None, GatewayGrant.None));
        var room = Room();
        var clock = 1_000L;
        for (var round = 0; round < 300; round++)
        {
            var badge = badges[random.Next(2)];
            clock += random.Next(1, 50);
            switch (random.Next(4))
            {
                case 0:
                    table[badge.BadgeId] = table[badge.BadgeId] with { Consent = new GatewayConsent(random.Next(2) == 0, null, Ev.At(clock)) };
                    break;
                case 1:
                    table[badge.BadgeId] = table[badge.BadgeId] with
                    {
                        Grant = new GatewayGrant(random.Next(2) == 0, random.Next(2) == 0, false, random.Next(2) == 0 ? null : Ev.At(clock + 500), Ev.At(clock)),
                    };
                    break;
                case 2:
                    room.Apply(Ev.Permit(badge.Device, random.Next(3) == 0 ? Ev.Stranger : Ev.Parent,
                        Ev.PermitContent(badge.Device, random.Next(2) == 0, random.Next(2) == 0), clock));
                    break;
                default:
                    room.Apply(Ev.Accept(badge.Device, random.Next(3) == 0 ? Ev.Stranger : badge.Device.UserId,
                        Ev.AcceptContent(badge.Device, random.Next(2) == 0), clock));
                    break;
            }

            var plan = PermitMirror.Plan(Channel, badges, table.Values, room, Gateway);
            foreach (var change in plan.ToApply)
            {
                table[change.BadgeId] = change switch
                {
                    ConsentChanged c => table[c.BadgeId] with { Consent = c.Consent },
                    GrantChanged g => table[g.BadgeId] with { Grant = g.Grant },
                    _ => throw new InvalidOperationException(),
                };
            }

            clock += 1;
            Echo(room, plan.ToSend, clock);

            Assert.True(PermitMirror.Plan(Channel, badges, table.Values, room, Gateway).IsEmpty, $"round {round} did not converge");
            foreach (var b in badges)
            {
                var row = table[b.BadgeId];
                Assert.Equal(row.Grant.Send, room.PermitOf(b.Device)?.Value?.Send ?? false);
                Assert.Equal(row.Consent.Receive, room.AcceptOf(b.Device)?.Value?.Receive ?? false);
            }
        }
    }
}
