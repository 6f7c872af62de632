using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

/// <summary>The end-of-burst tone ("roger beep"): after a burst played to its end, on the channels that keep it on.</summary>
public class EndOfBurstToneTests
{
    private static void PlayBurst(BadgeRig rig, uint burstId, byte channel, int frames = 4)
    {
        // The rig's config gives channel 2 the wideband rate.
        var rate = channel == 2 ? SampleRate.Wideband : SampleRate.Narrowband;
        rig.Send(new BurstStart { Channel = channel, BurstId = burstId, RateCode = rate, Talker = "mum" });
        foreach (var frame in FrameMaker.Burst(burstId, channel, frames, 2, rate))
        {
            rig.SendFrame(frame);
            rig.Run(80);
        }

        rig.Send(new BurstEnd { Channel = channel, BurstId = burstId, Reason = EndReason.Released, FrameCount = (ushort)frames });
        rig.Run(500);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
    }

    [Fact]
    public void A_burst_played_to_its_end_is_followed_by_the_end_tone_by_default()
    {
        var rig = new BadgeRig().Started();
        PlayBurst(rig, 500, 1);

        Assert.Equal(Tone.EndOfBurst, rig.Indicator.Tones.Last());
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.EndTonePlayed && e.Burst == 500 && e.Channel == 1);
    }

    [Fact]
    public void A_channel_whose_options_turn_the_tone_off_stays_silent_while_another_keeps_it()
    {
        var rig = new BadgeRig().Started();
        rig.Send(new ChannelOptions
        {
            Entries = [new ChannelOption { Channel = 1, Flags = 0 }, new ChannelOption { Channel = 2, Flags = ChannelFlags.EndTone }],
        });
        rig.Run(1);

        PlayBurst(rig, 600, 1);
        Assert.DoesNotContain(Tone.EndOfBurst, rig.Indicator.Tones);

        PlayBurst(rig, 601, 2);
        Assert.Equal(Tone.EndOfBurst, rig.Indicator.Tones.Last());
    }

    [Fact]
    public void A_burst_given_up_because_its_frames_stopped_has_no_end_tone()
    {
        var rig = new BadgeRig().Started();
        foreach (var frame in FrameMaker.Burst(7, 1, 10, 1).Take(3))
        {
            rig.SendFrame(frame);
            rig.Run(40);
        }

        rig.Run(2500);
        Assert.True(rig.Observer.Saw(BadgeEvent.ReceiveAbandoned));
        Assert.DoesNotContain(Tone.EndOfBurst, rig.Indicator.Tones);
    }
}
