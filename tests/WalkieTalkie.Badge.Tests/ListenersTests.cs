using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

/// <summary>The talker learns who hears it: a distinct tone when nobody hears the burst now.</summary>
public class ListenersTests
{
    [Fact]
    public void Nobody_live_plays_the_nobody_listening_tone_after_the_talk_tone()
    {
        var rig = new BadgeRig().Started();
        var burst = rig.PressAndGrant(burstId: 90);
        rig.Send(new Listeners { Channel = 1, BurstId = burst, Live = 0, Later = 2 });
        rig.Run(1);

        Assert.Equal([Tone.Talk, Tone.NobodyListening], rig.Indicator.Tones.Where(t => t is Tone.Talk or Tone.NobodyListening));
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.ListenersCounted && e.Burst == 90 && e.Value == 0);
        Assert.Equal(BadgeMode.Talking, rig.Mode);
    }

    [Fact]
    public void A_live_listener_means_no_extra_tone()
    {
        var rig = new BadgeRig().Started();
        var burst = rig.PressAndGrant(burstId: 91);
        rig.Send(new Listeners { Channel = 1, BurstId = burst, Live = 1, Later = 0 });
        rig.Run(1);

        Assert.DoesNotContain(Tone.NobodyListening, rig.Indicator.Tones);
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.ListenersCounted && e.Value == 1);
    }

    [Fact]
    public void A_count_for_another_burst_is_ignored()
    {
        var rig = new BadgeRig().Started();
        rig.PressAndGrant(burstId: 92);
        rig.Send(new Listeners { Channel = 1, BurstId = 5, Live = 0, Later = 0 });
        rig.Run(1);

        Assert.DoesNotContain(Tone.NobodyListening, rig.Indicator.Tones);
        Assert.False(rig.Observer.Saw(BadgeEvent.ListenersCounted));
    }
}
