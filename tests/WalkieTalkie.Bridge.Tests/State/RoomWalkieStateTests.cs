using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.State;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.State;

public class RoomWalkieStateTests
{
    private static readonly DeviceKey Anna = Ev.AnnaKey;
    private static readonly DateTimeOffset Now = Ev.At(10_000);

    private static RoomWalkieState Linked() => new(Ev.LinkedRoomPowerLevels());

    private static RoomWalkieState With(params RoomStateEvent[] events)
    {
        var state = Linked();
        foreach (var ev in events)
        {
            state.Apply(ev);
        }

        return state;
    }

    [Fact]
    public void Nothing_without_events()
    {
        Assert.Equal(DeviceRights.None, Linked().RightsAt(Anna, Now));
    }

    [Fact]
    public void Receiving_needs_both_the_accept_and_the_permit()
    {
        Assert.Equal(DeviceRights.None, With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna))).RightsAt(Anna, Now));
        Assert.Equal(DeviceRights.None, With(Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna))).RightsAt(Anna, Now));
        var both = With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna)), Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna, send: false)));
        Assert.Equal(new DeviceRights(true, false, false, null), both.RightsAt(Anna, Now));
    }

    [Fact]
    public void Sending_needs_receiving()
    {
        var state = With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna, receive: false)),
            Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna, receive: true, send: true, priority: true)));
        Assert.Equal(DeviceRights.None, state.RightsAt(Anna, Now));
        var noReceive = With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna)),
            Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna, receive: false, send: true)));
        Assert.Equal(DeviceRights.None, noReceive.RightsAt(Anna, Now));
    }

    [Fact]
    public void Priority_needs_sending()
    {
        var state = With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna)),
            Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna, send: false, priority: true)));
        Assert.False(state.RightsAt(Anna, Now).Priority);
        state.Apply(Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna, send: true, priority: true), ts: 2_000));
        Assert.Equal(new DeviceRights(true, true, true, null), state.RightsAt(Anna, Now));
    }

    [Fact]
    public void Expiry_takes_effect_at_expires_ts_without_another_event()
    {
        var state = With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna, expires: 20_000)),
            Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna, expires: 15_000)));
        Assert.Equal(new DeviceRights(true, true, false, Ev.At(15_000)), state.RightsAt(Anna, Ev.At(14_999)));
        Assert.Equal(DeviceRights.None, state.RightsAt(Anna, Ev.At(15_000)));
        Assert.Equal(DeviceRights.None, state.RightsAt(Anna, Ev.At(30_000)));
    }

    [Fact]
    public void An_expired_accept_ends_the_rights_too()
    {
        var state = With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna, expires: 12_000)),
            Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna, expires: 50_000)));
        Assert.Equal(Ev.At(12_000), state.RightsAt(Anna, Now).Until);
        Assert.False(state.RightsAt(Anna, Ev.At(12_000)).MayReceive);
        Assert.Equal(Ev.At(12_000), state.NextExpiryAfter(Now));
        Assert.Null(state.NextExpiryAfter(Ev.At(12_000)));
    }

    [Fact]
    public void Withdrawal_and_revocation_are_new_events()
    {
        var state = With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna)), Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna)));
        Assert.True(state.RightsAt(Anna, Now).MaySend);
        state.Apply(Ev.Accept(Anna, Ev.Anna, "{}", ts: 2_000));
        Assert.Equal(DeviceRights.None, state.RightsAt(Anna, Now));
        state.Apply(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna), ts: 3_000));
        Assert.True(state.RightsAt(Anna, Now).MaySend);
        state.Apply(Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna, receive: false, send: false), ts: 4_000));
        Assert.Equal(DeviceRights.None, state.RightsAt(Anna, Now));
    }

    [Fact]
    public void An_invalid_event_replaces_a_valid_one_and_grants_nothing()
    {
        var state = With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna)), Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna)));
        var outcome = state.Apply(Ev.Accept(Anna, Ev.Stranger, Ev.AcceptContent(Anna), ts: 2_000));
        Assert.Equal(ApplyKind.Refused, outcome.Kind);
        Assert.Equal(RejectionCode.SenderNotOwner, outcome.Rejection!.Code);
        Assert.Null(state.AcceptOf(Anna)!.Value);
        Assert.Equal(DeviceRights.None, state.RightsAt(Anna, Now));
    }

    [Fact]
    public void A_consent_by_an_admin_gives_nothing()
    {
        var state = With(Ev.Accept(Anna, Ev.Parent, Ev.AcceptContent(Anna)), Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna)));
        Assert.Equal(DeviceRights.None, state.RightsAt(Anna, Now));
    }

    [Fact]
    public void A_self_granted_permit_gives_nothing()
    {
        var state = With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna)), Ev.Permit(Anna, Ev.Anna, Ev.PermitContent(Anna, priority: true)));
        Assert.Equal(DeviceRights.None, state.RightsAt(Anna, Now));
        Assert.Equal(RejectionCode.SenderLacksPower, state.PermitOf(Anna)!.Rejection!.Code);
    }

    [Fact]
    public void A_malformed_key_leaves_every_device_untouched()
    {
        var state = With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna)), Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna)));
        var outcome = state.Apply(Ev.State(WalkieEventTypes.Accept, Ev.Anna, Ev.Anna, "{}", ts: 2_000));
        Assert.Equal(ApplyKind.Unrelated, outcome.Kind);
        Assert.Equal(RejectionCode.StateKeyMalformed, outcome.Rejection!.Code);
        Assert.True(state.RightsAt(Anna, Now).MaySend);
        Assert.Single(state.Devices);
    }

    [Fact]
    public void A_permit_is_judged_by_the_power_levels_at_the_event()
    {
        var state = With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna)));
        // Before the stranger is promoted: refused. Promoted: accepted. Demoted later: the permit stands.
        Assert.Equal(ApplyKind.Refused, state.Apply(Ev.Permit(Anna, Ev.Stranger, Ev.PermitContent(Anna), ts: 2_000)).Kind);
        state.Apply(Ev.State(WalkieEventTypes.PowerLevels, "", Ev.Parent,
            $$$"""{"users":{"{{{Ev.Stranger}}}":50},"events":{"{{{WalkieEventTypes.Permit}}}":50}}""", ts: 3_000));
        Assert.Equal(ApplyKind.Applied, state.Apply(Ev.Permit(Anna, Ev.Stranger, Ev.PermitContent(Anna), ts: 4_000)).Kind);
        state.Apply(Ev.State(WalkieEventTypes.PowerLevels, "", Ev.Parent, """{"users":{}}""", ts: 5_000));
        Assert.True(state.RightsAt(Anna, Now).MaySend);
        Assert.Equal(0, state.PowerLevels.UserLevel(Ev.Stranger));
    }

    [Fact]
    public void Power_levels_with_a_state_key_are_not_the_rooms()
    {
        var state = Linked();
        Assert.Equal(ApplyKind.Unrelated, state.Apply(Ev.State(WalkieEventTypes.PowerLevels, "x", Ev.Stranger, """{"users_default":100}""")).Kind);
        Assert.Equal(0, state.PowerLevels.UserLevel(Ev.Stranger));
    }

    [Fact]
    public void Creators_keep_their_power_across_power_level_changes()
    {
        var state = new RoomWalkieState(RoomPowerLevels.FromContent(Ev.Json("{}"), [Ev.Parent]), [Ev.Parent]);
        state.Apply(Ev.State(WalkieEventTypes.PowerLevels, "", Ev.Parent, """{"events":{"org.matrix.msc4002.permit":100}}"""));
        Assert.Equal(ApplyKind.Applied, state.Apply(Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna), ts: 2_000)).Kind);
    }

    [Fact]
    public void Tracks_the_channel_and_forgets_it_when_its_event_turns_invalid()
    {
        var state = Linked();
        state.Apply(Ev.State(WalkieEventTypes.Channel, "", Ev.Parent, """{"name":"yard","sample_rate":8000}"""));
        Assert.Equal("yard", state.Channel!.Name);
        state.Apply(Ev.State(WalkieEventTypes.Channel, "", Ev.Parent, "{}", ts: 2_000));
        Assert.Null(state.Channel);
        Assert.Equal(RejectionCode.FieldMissing, state.ChannelEntry!.Rejection!.Code);
    }

    [Fact]
    public void Messages_and_other_state_are_unrelated()
    {
        var state = Linked();
        Assert.Equal(ApplyKind.Unrelated, state.Apply(Ev.State("m.room.message", null, Ev.Anna, "{}")).Kind);
        Assert.Equal(ApplyKind.Unrelated, state.Apply(Ev.State("m.room.member", Ev.Anna, Ev.Anna, """{"membership":"join"}""")).Kind);
        Assert.Empty(state.Devices);
    }

    [Fact]
    public void Rights_of_all_devices_at_a_moment()
    {
        var ben = new DeviceKey("@walkie-ben:example.org", "WTBEN");
        var state = With(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna)), Ev.Permit(Anna, Ev.Parent, Ev.PermitContent(Anna)),
            Ev.Permit(ben, Ev.Parent, Ev.PermitContent(ben)));
        var all = state.AllRightsAt(Now);
        Assert.True(all[Anna].MaySend);
        Assert.Equal(DeviceRights.None, all[ben]);
    }
}
