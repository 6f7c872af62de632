using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Device.Indicator;
using WalkieTalkie.Device.Power;
using Xunit;

namespace WalkieTalkie.Device.Tests.Firmware;

/// <summary>The battery arithmetic and the LED patterns.</summary>
public class BatteryAndLedTests
{
    [Theory]
    // Worked by hand: the pin voltage is truncated to whole millivolts first (2048 * 3300 / 4095 = 1650), then scaled.
    [InlineData(2048, 4095, 3300, 1_000_000, 1_000_000, 3300)]
    [InlineData(4095, 4095, 3300, 1_000_000, 1_000_000, 6600)]
    [InlineData(1000, 4095, 3300, 2_000_000, 1_000_000, 2415)]
    public void The_cell_voltage_scales_the_pin_voltage_by_the_divider(int raw, int max, int fullScale, int top, int bottom, int expected)
    {
        Assert.Equal(expected, BatteryCurve.CellMillivolts(raw, max, fullScale, top, bottom));
    }

    [Theory]
    [InlineData(0, 4095)]
    [InlineData(100, 0)]
    public void A_reading_that_makes_no_sense_is_unknown(int raw, int max)
    {
        Assert.Equal(0, BatteryCurve.CellMillivolts(raw, max, 3300, 1_000_000, 1_000_000));
        Assert.Equal(-1, BatteryCurve.PercentOf(0));
    }

    [Fact]
    public void Charge_rises_with_voltage_from_empty_to_full()
    {
        Assert.Equal(0, BatteryCurve.PercentOf(3200));
        Assert.Equal(0, BatteryCurve.PercentOf(3300));
        Assert.Equal(100, BatteryCurve.PercentOf(4200));
        Assert.Equal(100, BatteryCurve.PercentOf(4350));
        Assert.Equal(44, BatteryCurve.PercentOf(3750));
        var last = -1;
        for (var mv = 3300; mv <= 4200; mv += 5)
        {
            var percent = BatteryCurve.PercentOf(mv);
            Assert.True(percent >= last, $"{mv} mV gives {percent}%, below {last}%");
            last = percent;
        }
    }

    [Fact]
    public void The_sites_low_battery_voltage_is_about_a_tenth_of_the_charge()
    {
        // nf.settings.json: lowMillivolts 3500; the firmware turns it into the Badge library's percentage.
        Assert.Equal(11, BatteryCurve.PercentOf(3500));
    }

    [Fact]
    public void Talking_is_steady_off_is_dark_and_the_rest_blink()
    {
        for (var t = 0; t < 20000; t += 7)
        {
            Assert.True(LedPattern.IsLit(LedState.Talking, t));
            Assert.False(LedPattern.IsLit(LedState.Off, t));
        }

        foreach (var state in Enum.GetValues<LedState>().Where(s => s is not (LedState.Talking or LedState.Off)))
        {
            var lit = Enumerable.Range(0, 20000).Count(t => LedPattern.IsLit(state, t));
            Assert.InRange(lit, 1, 19999);
        }
    }

    [Fact]
    public void Standby_is_lit_less_than_idle_which_is_lit_less_than_receiving()
    {
        int Lit(LedState state) => Enumerable.Range(0, 30000).Count(t => LedPattern.IsLit(state, t));

        Assert.True(Lit(LedState.Standby) < Lit(LedState.Idle));
        Assert.True(Lit(LedState.Idle) < Lit(LedState.Receiving));
    }
}
