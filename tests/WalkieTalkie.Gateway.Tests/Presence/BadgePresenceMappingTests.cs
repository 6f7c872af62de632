using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using MatrixPresence = WalkieTalkie.Matrix.Client.Presence.PresenceState;

namespace WalkieTalkie.Gateway.Tests.Presence;

/// <summary>A badge's state as its Matrix account's presence: reachable now, woken by a burst, or only later.</summary>
public class BadgePresenceMappingTests
{
    [Theory]
    [InlineData("idle", MatrixPresence.Online)]
    [InlineData("talking", MatrixPresence.Online)]
    [InlineData("listening", MatrixPresence.Online)]
    [InlineData("standby", MatrixPresence.Unavailable)]
    [InlineData("pocket", MatrixPresence.Offline)]
    [InlineData("offline", MatrixPresence.Offline)]
    public void Each_badge_state_has_its_presence(string state, MatrixPresence expected) =>
        Assert.Equal(expected, BadgePresenceMapping.Of(state));

    [Fact]
    public void Every_state_the_engine_reports_is_mapped_by_its_reported_name()
    {
        // The engine reports PresenceState names in lower case: a new state must be mapped on purpose.
        var names = Enum.GetNames<WalkieTalkie.Gateway.Presence.PresenceState>().Select(n => n.ToLowerInvariant());
        Assert.Equal(["offline", "idle", "talking", "listening", "standby", "pocket"], names);
    }
}
