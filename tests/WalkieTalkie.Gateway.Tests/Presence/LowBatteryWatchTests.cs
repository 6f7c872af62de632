using WalkieTalkie.Gateway.Presence;

namespace WalkieTalkie.Gateway.Tests.Presence;

/// <summary>The low-battery alert: once per discharge, again only after a real recharge.</summary>
public class LowBatteryWatchTests
{
    [Fact]
    public void The_first_reading_at_the_threshold_alerts_and_the_next_low_ones_do_not()
    {
        var watch = new LowBatteryWatch(15);
        Assert.False(watch.ShouldAlert("anna", 40));
        Assert.False(watch.ShouldAlert("anna", 16));
        Assert.True(watch.ShouldAlert("anna", 15));
        Assert.False(watch.ShouldAlert("anna", 12));
        Assert.False(watch.ShouldAlert("anna", 3));
    }

    [Fact]
    public void A_wobble_above_the_threshold_does_not_rearm_but_a_recharge_does()
    {
        var watch = new LowBatteryWatch(15, rearmMarginPercent: 10);
        Assert.True(watch.ShouldAlert("anna", 14));
        Assert.False(watch.ShouldAlert("anna", 18));
        Assert.False(watch.ShouldAlert("anna", 14));
        Assert.False(watch.ShouldAlert("anna", 25));
        Assert.True(watch.ShouldAlert("anna", 13));
    }

    [Fact]
    public void Each_badge_has_its_own_discharge_and_an_unknown_level_is_ignored()
    {
        var watch = new LowBatteryWatch(15);
        Assert.False(watch.ShouldAlert("anna", 255));
        Assert.True(watch.ShouldAlert("anna", 10));
        Assert.True(watch.ShouldAlert("ben", 10));
        Assert.False(watch.ShouldAlert("anna", 255));
        Assert.False(watch.ShouldAlert("anna", 9));
    }
}
