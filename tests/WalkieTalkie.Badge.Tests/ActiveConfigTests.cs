using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Tests;

/// <summary>The configuration in force and the selected channel, driven directly.</summary>
public class ActiveConfigTests
{
    private const int DefaultBlocksPerFrame = 2;
    private const int DefaultMaxTalkSeconds = 60;

    private readonly ActiveConfig _active = new(DefaultBlocksPerFrame, DefaultMaxTalkSeconds);

    private static Config With(params byte[] channels) => new()
    {
        Version = 1,
        Channels = channels.Select(c => new ChannelConfig { Channel = c, RateCode = (byte)(c % 2), Name = "c" + c }).ToArray(),
    };

    [Fact]
    public void Without_a_configuration_no_channel_is_selected_and_the_defaults_hold()
    {
        Assert.Equal(-1, _active.SelectedChannel);
        Assert.False(_active.SelectNext());
        Assert.Equal(DefaultBlocksPerFrame, _active.BlocksPerFrame);
        Assert.Equal(DefaultMaxTalkSeconds, _active.MaxTalkSeconds);
        Assert.Equal(SampleRate.Narrowband, _active.RateCodeOf(5));
    }

    [Fact]
    public void The_first_channel_is_selected_and_the_next_one_goes_round_the_list()
    {
        _active.Apply(With(3, 5, 8));
        Assert.Equal(3, _active.SelectedChannel);

        Assert.True(_active.SelectNext());
        Assert.Equal((5, 1), (_active.SelectedChannel, _active.SelectedIndex));
        Assert.True(_active.SelectNext());
        Assert.True(_active.SelectNext());
        Assert.Equal((3, 0), (_active.SelectedChannel, _active.SelectedIndex));
    }

    [Fact]
    public void A_single_channel_cannot_be_changed()
    {
        _active.Apply(With(3));

        Assert.False(_active.SelectNext());
        Assert.Equal(3, _active.SelectedChannel);
    }

    [Fact]
    public void A_new_configuration_keeps_the_selected_channel_when_it_is_still_there_else_selects_the_first()
    {
        _active.Apply(With(3, 5, 8));
        _active.SelectNext();

        _active.Apply(With(8, 5));
        Assert.Equal(5, _active.SelectedChannel);

        _active.Apply(With(2, 8));
        Assert.Equal(2, _active.SelectedChannel);
    }

    [Fact]
    public void The_configuration_sets_the_rates_frame_size_and_talk_time_within_what_a_frame_holds()
    {
        var config = With(3, 4);
        config.BlocksPerFrame = 40;
        config.MaxTalkSeconds = 15;
        _active.Apply(config);

        Assert.Same(config, _active.Config);
        Assert.Equal(SampleRate.Wideband, _active.RateCodeOf(3));
        Assert.Equal(SampleRate.Narrowband, _active.RateCodeOf(4));
        Assert.Equal(SampleRate.Narrowband, _active.RateCodeOf(99));
        Assert.Equal(AudioFrame.MaxBlocks, _active.BlocksPerFrame);
        Assert.Equal(15, _active.MaxTalkSeconds);
    }
}
