using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Events;

public class PermitEventTests
{
    private static readonly DeviceKey Anna = Ev.AnnaKey;

    private static Parsed<WalkiePermit> Parse(string sender, string content, RoomPowerLevels? levels = null) =>
        WalkieEventParser.ParsePermit(Ev.Permit(Anna, sender, content), levels ?? Ev.LinkedRoomPowerLevels());

    [Fact]
    public void Reads_a_permit_from_a_user_with_the_power()
    {
        var parsed = Parse(Ev.Parent, Ev.PermitContent(Anna, priority: true, expires: 9_000));
        Assert.Equal(new WalkiePermit(Anna, true, true, true, Ev.At(9_000)), parsed.Value);
    }

    // Found by fuzzing (tests/fuzz, bridge-event): DateTimeOffset threw ArgumentOutOfRangeException past the year 9999.
    [Fact]
    public void An_expiry_up_to_the_largest_safe_integer_is_a_rejection_not_an_exception()
    {
        var parsed = Parse(Ev.Parent, Ev.PermitContent(Anna, expires: 9007199254740991));

        Assert.Equal(RejectionCode.FieldOutOfRange, parsed.Rejection!.Code);
        Assert.Equal("expires_ts", parsed.Rejection.Field);
    }

    [Fact]
    public void Priority_defaults_to_false()
    {
        var content = $$"""{"user_id":"{{Ev.Anna}}","device_id":"{{Ev.AnnaDevice}}","receive":true,"send":false}""";
        Assert.Equal(new WalkiePermit(Anna, true, false), Parse(Ev.Parent, content).Value);
    }

    [Fact]
    public void Refuses_a_permit_from_a_user_below_the_level_even_the_device_owner()
    {
        var stranger = Parse(Ev.Stranger, Ev.PermitContent(Anna));
        Assert.Equal(RejectionCode.SenderLacksPower, stranger.Rejection!.Code);
        Assert.Contains("needs 50", stranger.Rejection.Message);
        Assert.Equal(RejectionCode.SenderLacksPower, Parse(Ev.Anna, Ev.PermitContent(Anna)).Rejection!.Code);
    }

    [Fact]
    public void Uses_state_default_when_the_type_is_not_named()
    {
        var levels = RoomPowerLevels.FromContent(Ev.Json($$"""{"users":{"{{Ev.Parent}}":40},"state_default":40}"""));
        Assert.True(Parse(Ev.Parent, Ev.PermitContent(Anna), levels).IsValid);
        var stricter = RoomPowerLevels.FromContent(Ev.Json($$$"""{"users":{"{{{Ev.Parent}}}":40}}""")); // state_default 50
        Assert.Equal(RejectionCode.SenderLacksPower, Parse(Ev.Parent, Ev.PermitContent(Anna), stricter).Rejection!.Code);
    }

    [Fact]
    public void The_type_level_overrides_state_default_and_users_default_applies()
    {
        var levels = RoomPowerLevels.FromContent(Ev.Json($$$"""{"users_default":10,"state_default":100,"events":{"{{{WalkieEventTypes.Permit}}}":10}}"""));
        Assert.True(Parse(Ev.Stranger, Ev.PermitContent(Anna), levels).IsValid);
    }

    [Fact]
    public void Without_a_power_levels_event_anyone_may_send_state()
    {
        var levels = RoomPowerLevels.WithoutEvent(Ev.Parent);
        Assert.True(Parse(Ev.Stranger, Ev.PermitContent(Anna), levels).IsValid);
        Assert.Equal(100, levels.UserLevel(Ev.Parent));
    }

    [Fact]
    public void Privileged_creators_of_room_version_12_always_have_the_power()
    {
        var levels = RoomPowerLevels.FromContent(Ev.Json("""{"users":{},"events":{"org.matrix.msc4002.permit":100}}"""), [Ev.Parent]);
        Assert.True(Parse(Ev.Parent, Ev.PermitContent(Anna), levels).IsValid);
    }

    [Fact]
    public void Reads_string_levels_of_old_room_versions_and_ignores_garbage_entries()
    {
        var levels = RoomPowerLevels.FromContent(Ev.Json($$$"""{"users":{"{{{Ev.Parent}}}":"50","{{{Ev.Stranger}}}":{"x":1}},"events":"nope","state_default":[1]}"""));
        Assert.Equal(50, levels.UserLevel(Ev.Parent));
        Assert.Equal(0, levels.UserLevel(Ev.Stranger));
        Assert.Equal(50, levels.RequiredForState(WalkieEventTypes.Permit));
        Assert.True(Parse(Ev.Parent, Ev.PermitContent(Anna), levels).IsValid);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("null")]
    public void Power_levels_content_that_is_not_an_object_gives_the_defaults(string content)
    {
        var levels = RoomPowerLevels.FromContent(Ev.Json(content));
        Assert.Equal(0, levels.UsersDefault);
        Assert.Equal(50, levels.StateDefault);
    }

    [Fact]
    public void Empty_content_reads_as_a_revocation()
    {
        Assert.Equal(WalkiePermit.Revoked(Anna), Parse(Ev.Parent, "{}").Value);
    }

    [Theory]
    [InlineData("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","receive":true}""", RejectionCode.FieldMissing, "send")]
    [InlineData("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","send":true}""", RejectionCode.FieldMissing, "receive")]
    [InlineData("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","receive":true,"send":true,"priority":"high"}""", RejectionCode.FieldWrongType, "priority")]
    [InlineData("""{"user_id":"@walkie-ben:example.org","device_id":"WTANNA01","receive":true,"send":true}""", RejectionCode.UserIdMismatch, "user_id")]
    [InlineData("""{"user_id":"@walkie-anna:example.org","device_id":"WTBEN","receive":true,"send":true}""", RejectionCode.DeviceIdMismatch, "device_id")]
    [InlineData("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","receive":true,"send":true,"expires_ts":-5}""", RejectionCode.FieldOutOfRange, "expires_ts")]
    public void Refuses_bad_content_naming_the_key(string content, RejectionCode code, string field)
    {
        var parsed = Parse(Ev.Parent, content);
        Assert.Equal(code, parsed.Rejection!.Code);
        Assert.Equal(field, parsed.Rejection.Field);
    }

    [Fact]
    public void Round_trips_through_its_content()
    {
        var permit = new WalkiePermit(Anna, true, false, false, Ev.At(123_456));
        Assert.Equal(permit, Parse(Ev.Parent, permit.ToContent().ToJsonString()).Value);
    }
}
