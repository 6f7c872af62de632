using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Mirroring;
using WalkieTalkie.Bridge.State;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Mirroring;

/// <summary>
/// A person's own Matrix device on the gateway (the web walkie in Element, or its standalone page): its consent is only
/// what its user sent to the room, so the mirror applies it (or its absence) and never sends an accept in its name.
/// </summary>
public class PersonalDeviceMirrorTests
{
    private const string Gateway = "@gateway:example.org";
    private const string Channel = "yard";
    private const string Mum = "@mum:example.org";
    private static readonly DeviceKey MumPhone = new(Mum, "PHONE1");
    private static readonly DeviceKey MumLaptop = new(Mum, "LAPTOP");
    private static readonly BadgeAccount MumWeb = new("mx-mumphone", MumPhone, ConsentInRoom: true);

    private static RoomWalkieState Room(params RoomStateEvent[] events)
    {
        var room = new RoomWalkieState(Ev.LinkedRoomPowerLevels());
        foreach (var ev in events)
        {
            room.Apply(ev);
        }

        return room;
    }

    private static GatewayPermit Row(bool consent, long consentAt, GatewayGrant grant) =>
        new("mx-mumphone", MumPhone, Channel, new GatewayConsent(consent, null, Ev.At(consentAt)), grant);

    [Fact]
    public void The_users_own_accept_is_applied_even_when_the_gateway_row_is_newer()
    {
        var room = Room(Ev.Accept(MumPhone, Mum, Ev.AcceptContent(MumPhone), ts: 2_000));
        var plan = PermitMirror.Plan(Channel, [MumWeb], [Row(false, 9_000, GatewayGrant.None)], room, Gateway);

        Assert.DoesNotContain(plan.ToSend, e => e.Type == WalkieEventTypes.Accept);
        var consent = Assert.IsType<ConsentChanged>(Assert.Single(plan.ToApply));
        Assert.True(consent.Consent.Receive);
        Assert.Equal(Mum, consent.Sender);
    }

    [Fact]
    public void Without_an_accept_of_its_user_the_device_holds_no_consent_and_none_is_sent()
    {
        var plan = PermitMirror.Plan(Channel, [MumWeb], [Row(true, 9_000, GatewayGrant.None)], Room(), Gateway);

        Assert.DoesNotContain(plan.ToSend, e => e.Type == WalkieEventTypes.Accept);
        var consent = Assert.IsType<ConsentChanged>(Assert.Single(plan.ToApply));
        Assert.False(consent.Consent.Receive);
    }

    [Fact]
    public void An_accept_sent_by_someone_else_counts_as_none()
    {
        var room = Room(Ev.Accept(MumPhone, Gateway, Ev.AcceptContent(MumPhone), ts: 2_000));
        var plan = PermitMirror.Plan(Channel, [MumWeb], [Row(true, 1_000, GatewayGrant.None)], room, Gateway);

        var consent = Assert.IsType<ConsentChanged>(Assert.Single(plan.ToApply));
        Assert.False(consent.Consent.Receive);
        Assert.Empty(plan.ToSend);
    }

    [Fact]
    public void Matching_sides_plan_nothing_even_with_an_expiry_on_the_accept()
    {
        var room = Room(Ev.Accept(MumPhone, Mum, Ev.AcceptContent(MumPhone, expires: 99_000_000), ts: 2_000),
            Ev.Permit(MumPhone, Gateway, Ev.PermitContent(MumPhone), ts: 2_000));
        var row = Row(true, 2_000, new GatewayGrant(true, true, false, null, Ev.At(2_000)));

        Assert.True(PermitMirror.Plan(Channel, [MumWeb], [row], room, Gateway).IsEmpty);
    }

    [Fact]
    public void A_grant_made_on_the_gateway_is_still_written_from_the_granter()
    {
        var room = Room(Ev.Accept(MumPhone, Mum, Ev.AcceptContent(MumPhone), ts: 2_000));
        var row = Row(true, 2_000, new GatewayGrant(true, true, false, null, Ev.At(5_000)));
        var plan = PermitMirror.Plan(Channel, [MumWeb], [row], room, Gateway);

        var permit = Assert.Single(plan.ToSend);
        Assert.Equal(WalkieEventTypes.Permit, permit.Type);
        Assert.Equal(Gateway, permit.SendAs);
        Assert.Empty(plan.ToApply);
    }

    [Fact]
    public void The_users_other_devices_are_not_retired()
    {
        var room = Room(Ev.Accept(MumPhone, Mum, Ev.AcceptContent(MumPhone), ts: 2_000),
            Ev.Accept(MumLaptop, Mum, Ev.AcceptContent(MumLaptop), ts: 2_000),
            Ev.Permit(MumLaptop, Gateway, Ev.PermitContent(MumLaptop), ts: 2_000));
        var plan = PermitMirror.Plan(Channel, [MumWeb], [Row(true, 2_000, GatewayGrant.None)], room, Gateway);

        Assert.DoesNotContain(plan.ToSend, e => e.StateKey == MumLaptop.StateKey);
    }
}
