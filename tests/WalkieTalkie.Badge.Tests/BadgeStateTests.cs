using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

public class BadgeStateTests
{
    [Fact]
    public void Badge_state_carries_the_battery_and_the_transports_signal_read_at_each_publish()
    {
        var rig = new BadgeRig();
        rig.Transport.Rssi = -67;
        rig.Started();

        var state = rig.Transport.Control<BadgeState>().Single();
        Assert.Equal((BadgeStatus.Idle, (ushort)3900, (byte)80, (sbyte)-67),
            (state.Status, state.BatteryMillivolts, state.BatteryPercent, state.Rssi));

        rig.Transport.Rssi = -81;
        rig.Buttons.Talk = true;
        rig.Step();
        rig.Send(new FloorGranted { Channel = 1, BurstId = 5, MaxTalkSeconds = 30 });
        rig.Step();
        Assert.Equal(BadgeMode.Talking, rig.Mode);
        var talking = rig.Transport.Control<BadgeState>().Last();
        Assert.Equal((BadgeStatus.Talking, (sbyte)-81), (talking.Status, talking.Rssi));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(12, 0)]      // a positive reading is not a signal: unknown
    [InlineData(-128, -128)]
    [InlineData(-200, -128)] // below what the message holds: the weakest it can say
    public void The_signal_is_kept_in_the_range_the_message_carries(int rssi, int sent)
    {
        var rig = new BadgeRig();
        rig.Transport.Rssi = rssi;
        rig.Started();
        Assert.Equal((sbyte)sent, rig.Transport.Control<BadgeState>().Single().Rssi);
    }
}
