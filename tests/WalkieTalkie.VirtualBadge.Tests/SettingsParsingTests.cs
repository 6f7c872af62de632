using WalkieTalkie.VirtualBadge.Cli;

namespace WalkieTalkie.Badge.Simulation.Tests;

public class SettingsParsingTests
{
    [Fact]
    public void A_ptt_script_holds_between_press_and_release()
    {
        var script = PttScript.Parse("0.5-1.5; 3-4");
        Assert.Equal([(0.5, 1.5), (3.0, 4.0)], script.Holds);
        Assert.False(script.IsDown(499));
        Assert.True(script.IsDown(500));
        Assert.True(script.IsDown(1_499));
        Assert.False(script.IsDown(1_500));
        Assert.True(script.IsDown(3_200));
        Assert.Equal(4.0, script.EndSeconds);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1-")]
    [InlineData("2-1")]
    [InlineData("a-b")]
    [InlineData("0-2;1-3")]
    [InlineData("-1-2")]
    public void A_bad_ptt_script_is_refused_with_a_clear_error(string text)
    {
        var error = Assert.Throws<VirtualBadgeException>(() => PttScript.Parse(text));
        Assert.Contains("push-to-talk", error.Message);
    }

    [Theory]
    [InlineData("1", 1, 8000)]
    [InlineData("2:16000", 2, 16000)]
    [InlineData("255:8000", 255, 8000)]
    public void A_channel_is_a_number_and_an_optional_rate(string text, int number, int rate) =>
        Assert.Equal(new VirtualChannel((byte)number, rate), VirtualChannel.Parse(text));

    [Theory]
    [InlineData("256")]
    [InlineData("1:44100")]
    [InlineData("x")]
    [InlineData("1:8000:2")]
    public void A_bad_channel_is_refused(string text) => Assert.Throws<VirtualBadgeException>(() => VirtualChannel.Parse(text));

    [Fact]
    public void A_badge_spec_names_its_mic_script_output_secret_and_channels()
    {
        var spec = BadgeSpec.Parse("kid-1,mic=a.wav,ptt=0.5-2;3-4,out=o.wav,password=s,channels=1:8000+2:16000");
        Assert.Equal("kid-1", spec.Id);
        Assert.Equal("a.wav", spec.Mic);
        Assert.Equal(2, spec.Ptt!.Holds.Count);
        Assert.Equal("o.wav", spec.Out);
        Assert.Equal("s", spec.Password);
        Assert.Equal([new VirtualChannel(1, 8000), new VirtualChannel(2, 16000)], spec.Channels);
        Assert.Equal(new BadgeSpec("mum", null, null, null, null, null), BadgeSpec.Parse("mum"));
    }

    [Theory]
    [InlineData("kid-1,volume=3")]
    [InlineData("kid-1,mic")]
    public void A_bad_badge_spec_is_refused(string text) => Assert.Throws<VirtualBadgeException>(() => BadgeSpec.Parse(text));

    [Fact]
    public void A_badge_id_that_is_not_a_valid_topic_segment_is_refused_when_added()
    {
        var fleet = new VirtualBadgeFleet();
        Assert.Throws<VirtualBadgeException>(() => fleet.Add(new VirtualBadgeSettings { Id = "Kid 1" }));
        fleet.Add(new VirtualBadgeSettings { Id = "kid-1" });
        Assert.Throws<VirtualBadgeException>(() => fleet.Add(new VirtualBadgeSettings { Id = "kid-1" }));
        Assert.Throws<VirtualBadgeException>(() => fleet.Add(new VirtualBadgeSettings { Id = "kid-2", Channels = [new(1), new(1)] }));
    }
}
