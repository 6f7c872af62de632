using System.Text;
using System.Text.Json;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.State;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Events;

/// <summary>Random and hostile input through every parser: a rejection, never an exception.</summary>
public class HostileEventTests
{
    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{}")]
    [InlineData("""{"type":5,"sender":"@a:b","content":{},"origin_server_ts":1}""")]
    [InlineData("""{"type":"x","sender":"@a:b","content":{},"origin_server_ts":"1"}""")]
    [InlineData("""{"type":"x","sender":"@a:b","origin_server_ts":1}""")]
    [InlineData("""{"type":"x","sender":"@a:b","content":{},"origin_server_ts":1,"state_key":7}""")]
    public void Malformed_envelopes_are_refused(string json)
    {
        var parsed = RoomStateEvent.FromJson(json);
        Assert.False(parsed.IsValid);
        Assert.Equal(RejectionCode.MalformedEvent, parsed.Rejection.Code);
    }

    [Fact]
    public void Reads_a_client_format_event()
    {
        var parsed = RoomStateEvent.FromJson("""
            {"type":"org.matrix.msc4002.accept","state_key":"device/@walkie-anna:example.org/WTANNA01",
             "sender":"@walkie-anna:example.org","origin_server_ts":1700000000000,"event_id":"$abc",
             "content":{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","receive":true}}
            """);
        Assert.True(parsed.IsValid);
        Assert.Equal("$abc", parsed.Value.EventId);
        Assert.Equal(Ev.AnnaKey, WalkieEventParser.ParseAccept(parsed.Value).Value!.Device);
    }

    [Fact]
    public void Deeply_nested_json_is_a_rejection()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);
        Assert.Equal(RejectionCode.MalformedEvent, RoomStateEvent.FromJson(json).Rejection!.Code);
    }

    // Found by fuzzing (tests/fuzz, bridge-event): System.Text.Json parses these escapes, then throws
    // InvalidOperationException when the string or key is read, which every parser here does.
    [Theory]
    [InlineData("""{"type":"\ud800","sender":"@a:b","content":{},"origin_server_ts":1}""")]
    [InlineData("""{"type":"x","sender":"@a:b","content":{},"origin_server_ts":1,"state_key":"\udc00"}""")]
    [InlineData("""{"type":"x","sender":"@a:b","content":{},"origin_server_ts":1,"even\ud800t_id":"$e"}""")]
    [InlineData("""{"type":"x","sender":"@a:b","content":{"a":["\ud800"]},"origin_server_ts":1}""")]
    public void A_lone_surrogate_escape_anywhere_in_an_event_is_a_malformed_event(string json)
    {
        var parsed = RoomStateEvent.FromJson(json);

        Assert.Equal(RejectionCode.MalformedEvent, parsed.Rejection!.Code);
    }

    // Found by fuzzing (tests/fuzz, bridge-event), for events the gateway builds itself from sync's content.
    [Theory]
    [InlineData("""{"user_id":"@walkie-anna:example.org","device_id":"WTANNA01","receive":true,"send\udc00":true}""")]
    [InlineData("""{"user_id":"@walkie-an\udc00mple.org","device_id":"WTANNA01","receive":true,"send":true}""")]
    public void A_lone_surrogate_escape_in_content_is_a_rejection_of_every_parser(string content)
    {
        var accept = WalkieEventParser.ParseAccept(Ev.Accept(Ev.AnnaKey, Ev.Anna, content));
        var permit = WalkieEventParser.ParsePermit(Ev.Permit(Ev.AnnaKey, Ev.Parent, content), Ev.LinkedRoomPowerLevels());
        var channel = WalkieEventParser.ParseChannel(Ev.State(WalkieEventTypes.Channel, "", Ev.Parent, content));

        Assert.Equal(RejectionCode.MalformedEvent, accept.Rejection!.Code);
        Assert.Equal(RejectionCode.MalformedEvent, permit.Rejection!.Code);
        Assert.Equal(RejectionCode.MalformedEvent, channel.Rejection!.Code);
    }

    // Found by fuzzing (tests/fuzz, bridge-event): an unreadable key made reading the power levels throw.
    [Fact]
    public void Power_levels_holding_a_lone_surrogate_escape_read_as_the_defaults()
    {
        var levels = RoomPowerLevels.FromContent(Ev.Json("""{"users":{"@mum:example.org":100},"state_\ud800default":0}"""));

        Assert.Equal(0, levels.UserLevel(Ev.Parent));
        Assert.Equal(50, levels.RequiredForState(WalkieEventTypes.Permit));
    }

    [Fact]
    public void Random_contents_and_keys_never_throw()
    {
        var random = new Random(4002);
        var types = new[] { WalkieEventTypes.Channel, WalkieEventTypes.Accept, WalkieEventTypes.Permit, WalkieEventTypes.PowerLevels, "m.room.member" };
        var keys = new[] { "", Ev.AnnaKey.StateKey, "device/", "device/@x:y/", "device/@x:y/\u0000", "@walkie-anna:example.org", "device/@:/" };
        var senders = new[] { Ev.Anna, Ev.Parent, Ev.Stranger, "", "not a user" };
        var state = new RoomWalkieState(Ev.LinkedRoomPowerLevels());
        for (var i = 0; i < 3_000; i++)
        {
            var content = RandomJson(random, 0, i % 3 == 0 ? KnownKeys : null);
            var ev = new RoomStateEvent(types[random.Next(types.Length)], random.Next(8) == 0 ? null : keys[random.Next(keys.Length)],
                senders[random.Next(senders.Length)], Ev.Json(content), random.NextInt64(), null);
            WalkieEventParser.ParseChannel(ev);
            WalkieEventParser.ParseAccept(ev);
            WalkieEventParser.ParsePermit(ev, state.PowerLevels);
            state.Apply(ev);
            state.RightsAt(Ev.AnnaKey, Ev.At(random.NextInt64(0, 1L << 40)));
        }
        Assert.NotNull(state.PowerLevels);
    }

    private static readonly string[] KnownKeys =
        ["user_id", "device_id", "receive", "send", "priority", "expires_ts", "name", "sample_rate", "max_talk_ms", "session_gap_ms", "users", "events", "state_default"];

    private static string RandomJson(Random random, int depth, string[]? keys)
    {
        switch (depth > 3 ? random.Next(5) : random.Next(7))
        {
            case 0: return "null";
            case 1: return random.Next(2) == 0 ? "true" : "false";
            case 2: return new[] { "0", "-1", "8000", "1.5", "1e300", "9007199254740993", "-9007199254740993" }[random.Next(7)];
            case 3: return JsonSerializer.Serialize(new[] { "", Ev.Anna, Ev.AnnaDevice, "\u0000", new string('x', 500) }[random.Next(5)]);
            case 4: return random.NextInt64(-1L << 54, 1L << 54).ToString();
            case 5:
                return "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => RandomJson(random, depth + 1, keys))) + "]";
            default:
                var sb = new StringBuilder("{");
                var n = random.Next(6);
                for (var k = 0; k < n; k++)
                {
                    if (k > 0)
                    {
                        sb.Append(',');
                    }

                    var name = keys is not null ? keys[random.Next(keys.Length)] : "k" + random.Next(4);
                    sb.Append(JsonSerializer.Serialize(name)).Append(':').Append(RandomJson(random, depth + 1, keys));
                }
                return sb.Append('}').ToString();
        }
    }
}
