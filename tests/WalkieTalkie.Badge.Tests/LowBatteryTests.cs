using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

/// <summary>A low battery: the wearer hears it once, and the gateway learns the level from a badge-state.</summary>
public class LowBatteryTests
{
    [Fact]
    public void A_battery_at_the_threshold_plays_the_tone_once_and_tells_the_gateway_its_level()
    {
        var rig = new BadgeRig(new BadgeOptions { BatteryCheckMilliseconds = 1000, LowBatteryPercent = 15 }).Started();
        rig.Run(1100);
        Assert.DoesNotContain(Tone.LowBattery, rig.Indicator.Tones);
        var statesBefore = rig.Transport.Control<BadgeState>().Count;

        rig.Power.BatteryPercent = 14;
        rig.Run(1000);
        Assert.Single(rig.Indicator.Tones, Tone.LowBattery);
        var told = rig.Transport.Control<BadgeState>().Skip(statesBefore).Single();
        Assert.Equal(14, told.BatteryPercent);
        Assert.Equal(BadgeStatus.Idle, told.Status);

        rig.Power.BatteryPercent = 12;
        rig.Run(3000);
        Assert.Single(rig.Indicator.Tones, Tone.LowBattery);
        Assert.Equal(statesBefore + 1, rig.Transport.Control<BadgeState>().Count);
    }
}
