using WalkieTalkie.Bridge.Events;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Events;

public class WalkieStateEventsTests
{
    [Fact]
    public void Events_for_the_outbox_parse_back_as_valid_from_their_senders()
    {
        var accept = WalkieStateEvents.Accept(new WalkieAccept(Ev.AnnaKey, true), Ev.At(1));
        var permit = WalkieStateEvents.Permit(new WalkiePermit(Ev.AnnaKey, true, true), Ev.Parent, Ev.At(1));
        var channel = WalkieStateEvents.Channel(new WalkieChannel("yard", 8000), Ev.Parent, Ev.At(1));
        Assert.Equal(Ev.Anna, accept.SendAs);
        Assert.True(WalkieEventParser.ParseAccept(Ev.State(accept.Type, accept.StateKey, accept.SendAs, accept.Content.ToJsonString())).IsValid);
        Assert.True(WalkieEventParser.ParsePermit(Ev.State(permit.Type, permit.StateKey, permit.SendAs, permit.Content.ToJsonString()), Ev.LinkedRoomPowerLevels()).IsValid);
        Assert.Equal("", channel.StateKey);
        Assert.True(WalkieEventParser.ParseChannel(Ev.State(channel.Type, channel.StateKey, channel.SendAs, channel.Content.ToJsonString())).IsValid);
    }

    [Fact]
    public void Linking_adds_the_two_levels_keeps_the_rest_and_is_then_quiet()
    {
        var before = Ev.Json("""{"users":{"@mum:example.org":100},"events":{"m.room.name":50},"state_default":50}""");
        var after = WalkieStateEvents.PowerLevelsForLink(before)!;
        Assert.Equal(50, after["events"]!["org.matrix.msc4002.permit"]!.GetValue<long>());
        Assert.Equal(0, after["events"]!["org.matrix.msc4002.accept"]!.GetValue<long>());
        Assert.Equal(50, after["events"]!["m.room.name"]!.GetValue<long>());
        Assert.Equal(100, after["users"]!["@mum:example.org"]!.GetValue<long>());
        Assert.Null(WalkieStateEvents.PowerLevelsForLink(Ev.Json(after.ToJsonString())));

        var levels = RoomPowerLevels.FromContent(Ev.Json(after.ToJsonString()));
        Assert.True(levels.MaySendState(Ev.Anna, WalkieEventTypes.Accept));
        Assert.False(levels.MaySendState(Ev.Anna, WalkieEventTypes.Permit));
    }

    [Fact]
    public void Linking_raises_badge_accounts_to_the_room_mention_level_so_an_sos_rings_everyone_and_never_lowers_a_level()
    {
        var before = Ev.Json("""{"users":{"@walkie-granter:example.org":100,"@walkie-kid:example.org":0,"@walkie-boss:example.org":75},"users_default":0}""");
        string[] badges = ["@walkie-kid:example.org", "@walkie-anna:example.org", "@walkie-boss:example.org"];
        var after = WalkieStateEvents.PowerLevelsForLink(before, badges, granterLevel: 100)!;

        var levels = RoomPowerLevels.FromContent(Ev.Json(after.ToJsonString()));
        Assert.Equal(50, levels.UserLevel("@walkie-kid:example.org"));
        Assert.Equal(50, levels.UserLevel("@walkie-anna:example.org"));
        Assert.Equal(75, levels.UserLevel("@walkie-boss:example.org")); // never lowered
        Assert.Equal(100, levels.UserLevel("@walkie-granter:example.org"));
        Assert.Null(WalkieStateEvents.PowerLevelsForLink(Ev.Json(after.ToJsonString()), badges, granterLevel: 100));

        // A room whose admin set room mentions at 80 (as a string, as rooms before v10 may): the badges get 80.
        var strict = WalkieStateEvents.PowerLevelsForLink(Ev.Json("""{"notifications":{"room":"80"}}"""), badges, granterLevel: 100)!;
        Assert.Equal(80, strict["users"]!["@walkie-kid:example.org"]!.GetValue<long>());

        // A granter below the mention level cannot give it: the users are left alone.
        var weak = WalkieStateEvents.PowerLevelsForLink(Ev.Json("""{"notifications":{"room":80}}"""), badges, granterLevel: 50)!;
        Assert.Null(weak["users"]);
    }

    // Found by fuzzing (tests/fuzz, bridge-event): a repeated key threw ArgumentException from JsonObject, an
    // escaped lone surrogate InvalidOperationException; the linker now reports a clear reason instead.
    [Theory]
    [InlineData("""{"events":{"m.room.name":50},"events":{"m.room.topic":50}}""", "repeat a key")]
    [InlineData("""{"users":{"@mum:example.org":100,"@mum:example.org":0}}""", "repeat a key")]
    [InlineData("""{"users":{"@mum\ud800:example.org":100}}""", "not valid UTF-16")]
    public void Power_levels_it_cannot_rewrite_faithfully_are_refused_with_the_reason(string content, string reason)
    {
        var refusal = Assert.Throws<FormatException>(() => WalkieStateEvents.PowerLevelsForLink(Ev.Json(content)));

        Assert.Contains(reason, refusal.Message);
    }

    [Fact]
    public void Levels_an_admin_chose_are_kept()
    {
        Assert.Null(WalkieStateEvents.PowerLevelsForLink(Ev.Json("""{"events":{"org.matrix.msc4002.permit":75,"org.matrix.msc4002.accept":10}}""")));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("""{"events":"garbage"}""")]
    public void Odd_current_content_still_gives_the_levels(string content)
    {
        var after = WalkieStateEvents.PowerLevelsForLink(Ev.Json(content))!;
        Assert.Equal(50, after["events"]!["org.matrix.msc4002.permit"]!.GetValue<long>());
    }
}
