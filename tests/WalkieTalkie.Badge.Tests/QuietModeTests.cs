using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

public class QuietModeTests
{
    private static void Hold(BadgeRig rig, int milliseconds)
    {
        rig.Buttons.Channel = true;
        rig.Run(milliseconds);
        rig.Buttons.Channel = false;
        rig.Run(1);
    }

    [Fact]
    public void A_long_press_of_the_second_button_turns_do_not_disturb_on_and_the_next_one_off()
    {
        var rig = new BadgeRig().Started();

        Hold(rig, 1_100);
        Assert.True(Assert.Single(rig.Transport.Control<DoNotDisturb>()).On);
        Assert.Equal(Tone.DoNotDisturbOn, rig.Indicator.Tones.Last());
        Assert.Equal(LedState.Quiet, rig.Indicator.Led);
        Assert.True(rig.Badge.Quiet.DoNotDisturbOn);

        Hold(rig, 1_100);
        Assert.False(rig.Transport.Control<DoNotDisturb>().Last().On);
        Assert.Equal(2, rig.Transport.Control<DoNotDisturb>().Count);
        Assert.Equal(Tone.DoNotDisturbOff, rig.Indicator.Tones.Last());
        Assert.Equal(LedState.Idle, rig.Indicator.Led);
    }

    [Fact]
    public void A_short_press_changes_channel_and_a_long_press_that_accepted_an_offer_toggles_nothing()
    {
        var rig = new BadgeRig().Started();
        Hold(rig, 20);
        Assert.Empty(rig.Transport.Control<DoNotDisturb>());

        rig.Send(new PermitOffer { Channel = 12, Permits = Permits.Receive, OfferedBy = "mum" });
        rig.Run(1);
        Hold(rig, 1_100);
        Assert.Single(rig.Transport.Control<PermitAccept>());
        Assert.Empty(rig.Transport.Control<DoNotDisturb>());
    }

    [Fact]
    public void The_led_shows_quiet_and_that_bursts_wait_as_the_gateway_says_and_idle_again_when_it_ends()
    {
        var rig = new BadgeRig().Started();

        rig.Send(new QuietState { Flags = QuietFlags.Quiet, Waiting = 0 });
        rig.Run(1);
        Assert.Equal(LedState.Quiet, rig.Indicator.Led);

        rig.Send(new QuietState { Flags = QuietFlags.Quiet, Waiting = 2 });
        rig.Run(1);
        Assert.Equal(LedState.QuietWaiting, rig.Indicator.Led);
        Assert.Equal(2, rig.Badge.Quiet.Waiting);
        Assert.False(rig.Badge.Quiet.DoNotDisturbOn);

        rig.Send(new QuietState { Flags = 0, Waiting = 0 });
        rig.Run(1);
        Assert.Equal(LedState.Idle, rig.Indicator.Led);
        Assert.False(rig.Badge.Quiet.IsQuiet);
    }

    [Fact]
    public void A_new_connection_forgets_the_quiet_state_until_the_gateway_says_it_again()
    {
        var rig = new BadgeRig().Started();
        rig.Send(new QuietState { Flags = QuietFlags.Quiet, Waiting = 1 });
        rig.Run(1);
        Assert.Equal(LedState.QuietWaiting, rig.Indicator.Led);

        rig.Transport.IsConnected = false;
        rig.Run(5_000);

        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.False(rig.Badge.Quiet.IsQuiet);
        Assert.Equal(LedState.Idle, rig.Indicator.Led);
    }
}
