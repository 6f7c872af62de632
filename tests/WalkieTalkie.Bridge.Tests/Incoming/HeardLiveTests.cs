using WalkieTalkie.Bridge.Incoming;
using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Incoming;

/// <summary>
/// A voice message another site's gateway posted for a burst this site heard live over the site link is not played
/// again; one it did not hear (the link was down, its floor was busy) is played as any other.
/// </summary>
public class HeardLiveTests
{
    private static readonly IReadOnlySet<string> OwnBadges = new HashSet<string> { Ev.Anna };

    private sealed class Heard(params (string, uint)[] bursts) : IHeardLive
    {
        public bool WasHeardLive(string gatewayId, uint burstId) => bursts.Contains((gatewayId, burstId));
    }

    private static IncomingDecision Classify(string burst, IHeardLive heard) =>
        IncomingClassifier.Classify(new RoomMessage("$ev", Ev.Parent, "m.room.message", Ev.Json($$"""
            {"msgtype":"m.audio","body":"Voice message","url":"mxc://example.org/x","info":{"mimetype":"audio/ogg"},
             "org.matrix.msc4002.burst":{{burst}} }
            """), 1_700_000_000_000), OwnBadges, heard);

    [Fact]
    public void A_burst_heard_live_is_not_played_again()
    {
        var ignore = Assert.IsType<IncomingDecision.Ignore>(Classify("""{"channel":"yard","burst_id":41,"gateway_id":"gw-a"}""", new Heard(("gw-a", 41))));
        Assert.Contains("heard live", ignore.Reason);
    }

    [Theory]
    [InlineData("""{"channel":"yard","burst_id":42,"gateway_id":"gw-a"}""")]
    [InlineData("""{"channel":"yard","burst_id":41,"gateway_id":"gw-b"}""")]
    [InlineData("""{"channel":"yard","burst_id":41}""")]
    [InlineData("""{"channel":"yard","burst_id":"41","gateway_id":"gw-a"}""")]
    [InlineData("""{"channel":"yard","burst_id":-1,"gateway_id":"gw-a"}""")]
    [InlineData("""{"channel":"yard","burst_id":41,"gateway_id":7}""")]
    [InlineData("\"not an object\"")]
    public void Any_other_burst_is_played(string burst) =>
        Assert.IsType<IncomingDecision.Play>(Classify(burst, new Heard(("gw-a", 41))));
}
