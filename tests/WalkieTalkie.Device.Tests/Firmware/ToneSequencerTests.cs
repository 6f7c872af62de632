using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Device.Audio;
using Xunit;

namespace WalkieTalkie.Device.Tests.Firmware;

/// <summary>The signal tones: every tone the badge asks for sounds, lasts what its steps say, and mixes without wrapping.</summary>
public class ToneSequencerTests
{
    public static TheoryData<Tone> AllTones() => new(Enum.GetValues<Tone>());

    [Theory]
    [MemberData(nameof(AllTones))]
    public void Every_tone_plays_for_its_duration_and_then_stops(Tone tone)
    {
        const int rate = 8000;
        var sequencer = new ToneSequencer(rate);
        sequencer.Start(tone);
        var expected = ToneSequencer.DurationOf(tone) * rate / 1000;
        var buffer = new short[expected + 400];

        var rendered = sequencer.Render(buffer, 0, buffer.Length, false);

        Assert.True(expected > 0, $"{tone} has no sound");
        Assert.InRange(rendered, expected - 10, expected);
        Assert.False(sequencer.IsPlaying);
        Assert.Contains(buffer, s => s == ToneSequencer.Amplitude);
        Assert.All(buffer[rendered..], s => Assert.Equal(0, s));
    }

    [Fact]
    public void The_talk_tone_has_the_frequency_of_its_first_step()
    {
        var sequencer = new ToneSequencer(16000);
        sequencer.Start(Tone.Talk);
        var buffer = new short[16000 * 70 / 1000];
        sequencer.Render(buffer, 0, buffer.Length, false);

        var rises = 0;
        for (var i = 1; i < buffer.Length; i++)
        {
            if (buffer[i - 1] < 0 && buffer[i] > 0)
            {
                rises++;
            }
        }

        // 1200 Hz for 70 ms: 84 periods.
        Assert.InRange(rises, 83, 84);
    }

    [Fact]
    public void Mixing_adds_to_the_audio_and_clips()
    {
        var sequencer = new ToneSequencer(8000);
        sequencer.Start(Tone.Busy);
        var buffer = Enumerable.Repeat((short)30000, 100).ToArray();

        sequencer.Render(buffer, 0, buffer.Length, true);

        Assert.Contains(buffer, s => s == short.MaxValue);
        Assert.Contains(buffer, s => s == 30000 - ToneSequencer.Amplitude);
    }

    [Fact]
    public void A_new_tone_cuts_the_old_one_off()
    {
        var sequencer = new ToneSequencer(8000);
        sequencer.Start(Tone.ConnectionLost);
        sequencer.Render(new short[100], 0, 100, false);
        sequencer.Start(Tone.ChannelChanged);

        var rendered = sequencer.Render(new short[8000], 0, 8000, false);

        Assert.InRange(rendered, 470, 480);
    }
}
