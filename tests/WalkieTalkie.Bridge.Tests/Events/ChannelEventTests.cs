using System.Text.Json;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Events;

public class ChannelEventTests
{
    private static Parsed<WalkieChannel> Parse(string content, string? stateKey = "") =>
        WalkieEventParser.ParseChannel(Ev.State(WalkieEventTypes.Channel, stateKey, Ev.Parent, content));

    [Fact]
    public void Reads_required_keys_and_applies_defaults()
    {
        var parsed = Parse("""{"name":"yard","sample_rate":8000}""");
        Assert.Equal(new WalkieChannel("yard", 8000, 30_000, 300_000), parsed.Value);
    }

    [Fact]
    public void Reads_every_key()
    {
        var parsed = Parse("""{"name":"family","sample_rate":16000,"max_talk_ms":20000,"session_gap_ms":60000,"future":1}""");
        Assert.Equal(new WalkieChannel("family", 16000, 20_000, 60_000), parsed.Value);
    }

    [Fact]
    public void Round_trips_through_its_content()
    {
        var channel = new WalkieChannel("yard", 16000, 25_000, 1_000);
        Assert.Equal(channel, Parse(channel.ToContent().ToJsonString()).Value);
    }

    [Theory]
    [InlineData("""{"sample_rate":8000}""", RejectionCode.FieldMissing, "name")]
    [InlineData("""{"name":"yard"}""", RejectionCode.FieldMissing, "sample_rate")]
    [InlineData("""{"name":7,"sample_rate":8000}""", RejectionCode.FieldWrongType, "name")]
    [InlineData("""{"name":"  ","sample_rate":8000}""", RejectionCode.FieldOutOfRange, "name")]
    [InlineData("""{"name":"yard","sample_rate":44100}""", RejectionCode.FieldOutOfRange, "sample_rate")]
    [InlineData("""{"name":"yard","sample_rate":8000.5}""", RejectionCode.FieldWrongType, "sample_rate")]
    [InlineData("""{"name":"yard","sample_rate":"8000"}""", RejectionCode.FieldWrongType, "sample_rate")]
    [InlineData("""{"name":"yard","sample_rate":8000,"max_talk_ms":0}""", RejectionCode.FieldOutOfRange, "max_talk_ms")]
    [InlineData("""{"name":"yard","sample_rate":8000,"session_gap_ms":-1}""", RejectionCode.FieldOutOfRange, "session_gap_ms")]
    [InlineData("""{"name":"yard","sample_rate":8000,"session_gap_ms":1e400}""", RejectionCode.FieldWrongType, "session_gap_ms")]
    [InlineData("""{"name":"yard","sample_rate":8000,"max_talk_ms":9007199254740992}""", RejectionCode.FieldWrongType, "max_talk_ms")]
    public void Refuses_bad_content_naming_the_key(string content, RejectionCode code, string field)
    {
        var parsed = Parse(content);
        Assert.False(parsed.IsValid);
        Assert.Equal(code, parsed.Rejection.Code);
        Assert.Equal(field, parsed.Rejection.Field);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"yard\"")]
    [InlineData("null")]
    public void Refuses_content_that_is_not_an_object(string content)
    {
        Assert.Equal(RejectionCode.ContentNotObject, Parse(content).Rejection!.Code);
    }

    [Fact]
    public void Refuses_a_redacted_channel_event()
    {
        Assert.Equal(RejectionCode.FieldMissing, Parse("{}").Rejection!.Code);
    }

    [Fact]
    public void Refuses_a_non_empty_state_key_and_a_message_event()
    {
        Assert.Equal(RejectionCode.StateKeyNotEmpty, Parse("""{"name":"yard","sample_rate":8000}""", "x").Rejection!.Code);
        Assert.Equal(RejectionCode.NotStateEvent, Parse("""{"name":"yard","sample_rate":8000}""", null).Rejection!.Code);
    }

    [Fact]
    public void Refuses_another_type()
    {
        var ev = Ev.State(WalkieEventTypes.Accept, "", Ev.Parent, """{"name":"yard","sample_rate":8000}""");
        Assert.Equal(RejectionCode.WrongType, WalkieEventParser.ParseChannel(ev).Rejection!.Code);
    }

    [Fact]
    public void Content_serialises_with_the_spec_keys()
    {
        var json = JsonSerializer.Serialize(new WalkieChannel("yard", 8000).ToContent());
        Assert.Equal("""{"name":"yard","sample_rate":8000,"max_talk_ms":30000,"session_gap_ms":300000}""", json);
    }
}
