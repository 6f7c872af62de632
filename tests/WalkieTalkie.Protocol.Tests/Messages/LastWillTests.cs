using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Protocol.Tests.Messages;

public sealed class LastWillTests
{
    [Fact]
    public void The_will_is_the_ascii_text_offline() =>
        Assert.Equal("offline"u8.ToArray(), LastWill.ToBytes());

    [Fact]
    public void Matches_only_the_exact_text_at_the_given_place()
    {
        var framed = "xxofflinexx"u8.ToArray();
        Assert.True(LastWill.Matches(framed, 2, 7));
        Assert.False(LastWill.Matches(framed, 1, 7));
        Assert.False(LastWill.Matches("Offline"u8.ToArray(), 0, 7));
        Assert.False(LastWill.Matches("offline!"u8.ToArray(), 0, 8));
        Assert.False(LastWill.Matches(new BadgeState { Status = BadgeStatus.Offline }.ToBytes(), 0, 7));
    }

    [Fact]
    public void Hostile_bounds_are_no_match_and_never_throw()
    {
        var will = LastWill.ToBytes();
        Assert.False(LastWill.Matches(null!, 0, 7));
        Assert.False(LastWill.Matches(will, -1, 7));
        Assert.False(LastWill.Matches(will, 1, 7));
        Assert.False(LastWill.Matches(will, int.MaxValue, 7));
    }
}
