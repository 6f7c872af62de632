using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Events;

public class AcceptEventTests
{
    private static readonly DeviceKey Anna = Ev.AnnaKey;

    [Fact]
    public void Reads_a_consent_from_the_devices_own_user()
    {
        var parsed = WalkieEventParser.ParseAccept(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna, expires: 5_000)));
        Assert.Equal(new WalkieAccept(Anna, true, Ev.At(5_000)), parsed.Value);
    }

    [Fact]
    public void Null_expiry_means_for_good()
    {
        var content = $$"""{"user_id":"{{Ev.Anna}}","device_id":"{{Ev.AnnaDevice}}","receive":true,"expires_ts":null}""";
        Assert.Null(WalkieEventParser.ParseAccept(Ev.Accept(Anna, Ev.Anna, content)).Value!.ExpiresAt);
    }

    // Found by fuzzing (tests/fuzz, bridge-event): DateTimeOffset threw ArgumentOutOfRangeException past the year 9999.
    [Fact]
    public void An_expiry_past_the_year_9999_is_out_of_range()
    {
        var parsed = WalkieEventParser.ParseAccept(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna, expires: 253402300800000)));

        Assert.Equal(RejectionCode.FieldOutOfRange, parsed.Rejection!.Code);
        Assert.Equal("expires_ts", parsed.Rejection.Field);
        Assert.True(WalkieEventParser.ParseAccept(Ev.Accept(Anna, Ev.Anna, Ev.AcceptContent(Anna, expires: 253402300799999))).IsValid);
    }

    [Fact]
    public void Refuses_a_consent_sent_by_anyone_else_even_an_admin()
    {
        var parsed = WalkieEventParser.ParseAccept(Ev.Accept(Anna, Ev.Parent, Ev.AcceptContent(Anna)));
        Assert.Equal(RejectionCode.SenderNotOwner, parsed.Rejection!.Code);
        Assert.Contains(Ev.Parent, parsed.Rejection.Message);
    }

    [Fact]
    public void Empty_content_reads_as_a_withdrawal()
    {
        Assert.Equal(new WalkieAccept(Anna, false), WalkieEventParser.ParseAccept(Ev.Accept(Anna, Ev.Anna, "{}")).Value);
    }

    [Fact]
    public void Refuses_content_ids_that_differ_from_the_state_key()
    {
        var otherUser = $$"""{"user_id":"@walkie-ben:example.org","device_id":"{{Ev.AnnaDevice}}","receive":true}""";
        var otherDevice = $$"""{"user_id":"{{Ev.Anna}}","device_id":"OTHER","receive":true}""";
        Assert.Equal(RejectionCode.UserIdMismatch, WalkieEventParser.ParseAccept(Ev.Accept(Anna, Ev.Anna, otherUser)).Rejection!.Code);
        Assert.Equal(RejectionCode.DeviceIdMismatch, WalkieEventParser.ParseAccept(Ev.Accept(Anna, Ev.Anna, otherDevice)).Rejection!.Code);
    }

    [Theory]
    [InlineData("""{"device_id":"WTANNA01","receive":true}""", RejectionCode.FieldMissing, "user_id")]
    [InlineData("""{"user_id":"@walkie-anna:example.org","receive":true}""", RejectionCode.FieldMissing, "device_id")]
    [InlineData("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01"}""", RejectionCode.FieldMissing, "receive")]
    [InlineData("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","receive":"yes"}""", RejectionCode.FieldWrongType, "receive")]
    [InlineData("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","receive":1}""", RejectionCode.FieldWrongType, "receive")]
    [InlineData("""{"user_id":["@walkie-anna:example.org"],"device_id":"WTANNA01","receive":true}""", RejectionCode.FieldWrongType, "user_id")]
    [InlineData("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","receive":true,"expires_ts":-1}""", RejectionCode.FieldOutOfRange, "expires_ts")]
    [InlineData("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","receive":true,"expires_ts":1.5}""", RejectionCode.FieldWrongType, "expires_ts")]
    [InlineData("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","receive":true,"expires_ts":"soon"}""", RejectionCode.FieldWrongType, "expires_ts")]
    public void Refuses_bad_content_naming_the_key(string content, RejectionCode code, string field)
    {
        var parsed = WalkieEventParser.ParseAccept(Ev.Accept(Anna, Ev.Anna, content));
        Assert.Equal(code, parsed.Rejection!.Code);
        Assert.Equal(field, parsed.Rejection.Field);
    }

    [Fact]
    public void Refuses_malformed_state_keys_and_non_object_content()
    {
        var badKey = Ev.State(WalkieEventTypes.Accept, "@walkie-anna:example.org", Ev.Anna, Ev.AcceptContent(Anna));
        Assert.Equal(RejectionCode.StateKeyMalformed, WalkieEventParser.ParseAccept(badKey).Rejection!.Code);
        Assert.Equal(RejectionCode.ContentNotObject, WalkieEventParser.ParseAccept(Ev.Accept(Anna, Ev.Anna, "true")).Rejection!.Code);
        var noKey = Ev.State(WalkieEventTypes.Accept, null, Ev.Anna, Ev.AcceptContent(Anna));
        Assert.Equal(RejectionCode.NotStateEvent, WalkieEventParser.ParseAccept(noKey).Rejection!.Code);
    }

    [Fact]
    public void Round_trips_through_its_content()
    {
        var accept = new WalkieAccept(Anna, true, Ev.At(1_700_000_000_123));
        Assert.Equal(accept, WalkieEventParser.ParseAccept(Ev.Accept(Anna, Ev.Anna, accept.ToContent().ToJsonString())).Value);
        Assert.DoesNotContain("expires_ts", new WalkieAccept(Anna, true).ToContent().ToJsonString());
    }
}
