using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

public class ChannelTests
{
    private static Config ThreeChannels(uint version = 1) => new()
    {
        Version = version, CheckInSeconds = 60, MaxTalkSeconds = 30, BlocksPerFrame = 2,
        Channels =
        [
            new ChannelConfig { Channel = 1, RateCode = 0, Permits = Permits.Known, Name = "family" },
            new ChannelConfig { Channel = 4, RateCode = 1, Permits = Permits.Known, Name = "school" },
            new ChannelConfig { Channel = 9, RateCode = 0, Permits = Permits.Known, Name = "club" },
        ],
    };

    private static void Click(BadgeRig rig)
    {
        rig.Buttons.Channel = true;
        rig.Run(20);
        rig.Buttons.Channel = false;
        rig.Run(1);
    }

    [Fact]
    public void Short_presses_of_the_second_button_cycle_through_the_channels_and_announce_each()
    {
        var rig = new BadgeRig(config: ThreeChannels()).Started();
        var seen = new List<int> { rig.Badge.SelectedChannel };
        for (var i = 0; i < 3; i++)
        {
            Click(rig);
            seen.Add(rig.Badge.SelectedChannel);
            Assert.Equal((byte)rig.Badge.SelectedChannel, rig.Transport.Control<BadgeState>().Last().Channel);
        }

        Assert.Equal([1, 4, 9, 1], seen);
        Assert.Equal(3, rig.Indicator.Tones.Count(t => t == Tone.ChannelChanged));
        Assert.Equal(3, rig.Observer.Events.Count(e => e.Kind == BadgeEvent.ChannelSelected));
    }

    [Fact]
    public void A_badge_with_one_channel_stays_on_it()
    {
        var config = ThreeChannels();
        config.Channels = [config.Channels[0]];
        var rig = new BadgeRig(config: config).Started();
        Click(rig);
        Assert.Equal(1, rig.Badge.SelectedChannel);
        Assert.DoesNotContain(Tone.ChannelChanged, rig.Indicator.Tones);
    }

    [Fact]
    public void The_second_button_does_not_change_channel_while_talking()
    {
        var rig = new BadgeRig(config: ThreeChannels()).Started();
        rig.PressAndGrant();
        Click(rig);
        Assert.Equal(1, rig.Badge.SelectedChannel);
        Assert.Equal(BadgeMode.Talking, rig.Mode);
    }

    [Fact]
    public void The_selected_channel_is_the_one_push_to_talk_requests()
    {
        var rig = new BadgeRig(config: ThreeChannels()).Started();
        Click(rig);
        Click(rig);
        rig.PressAndGrant();
        Assert.Equal((byte)9, rig.Transport.Control<FloorRequest>().Single().Channel);
    }

    [Fact]
    public void A_long_press_accepts_the_offered_permit_and_does_not_change_channel()
    {
        var rig = new BadgeRig(config: ThreeChannels()).Started();
        rig.Send(new PermitOffer { Channel = 12, Permits = Permits.Receive, OfferedBy = "mum" });
        rig.Run(1);
        Assert.Equal(Tone.PermitOffer, rig.Indicator.Tones.Last());
        Assert.Equal(LedState.PermitOffer, rig.Indicator.Led);

        rig.Buttons.Channel = true;
        rig.Run(999);
        Assert.Empty(rig.Transport.Control<PermitAccept>());
        rig.Run(2);
        var accept = rig.Transport.Control<PermitAccept>().Single();
        Assert.Equal(((byte)12, Permits.Receive), (accept.Channel, accept.Permits));
        rig.Buttons.Channel = false;
        rig.Run(1);

        Assert.Equal(1, rig.Badge.SelectedChannel);
        Assert.Equal(LedState.Idle, rig.Indicator.Led);
    }

    [Fact]
    public void A_long_press_without_an_offer_or_after_it_was_revoked_sends_nothing()
    {
        var rig = new BadgeRig(config: ThreeChannels()).Started();
        rig.Send(new PermitOffer { Channel = 12, Permits = Permits.Known, OfferedBy = "mum" });
        rig.Send(new PermitRevoked { Channel = 12, Permits = Permits.Known, Reason = RevokeReason.Revoked });
        rig.Buttons.Channel = true;
        rig.Run(1_100);
        rig.Buttons.Channel = false;
        rig.Run(1);
        Assert.Empty(rig.Transport.Control<PermitAccept>());
    }

    [Fact]
    public void A_newer_config_keeps_the_selected_channel_is_cached_and_an_older_one_is_ignored()
    {
        var rig = new BadgeRig(config: ThreeChannels(version: 5)).Started();
        Click(rig);
        Assert.Equal(4, rig.Badge.SelectedChannel);

        var newer = ThreeChannels(version: 6);
        newer.Channels = [newer.Channels[2], newer.Channels[1]];
        rig.Send(newer);
        rig.Run(1);
        Assert.Equal(4, rig.Badge.SelectedChannel);
        Assert.Equal(newer.ToBytes(), rig.Settings.CachedConfig);

        var older = ThreeChannels(version: 4);
        older.Channels = [older.Channels[0]];
        rig.Send(older);
        rig.Run(1);
        Assert.Equal(6u, rig.Badge.Config.Version);
        Assert.Equal(newer.ToBytes(), rig.Settings.CachedConfig);
    }

    [Fact]
    public void A_config_without_the_selected_channel_selects_its_first()
    {
        var rig = new BadgeRig(config: ThreeChannels()).Started();
        Click(rig);
        var newer = ThreeChannels(version: 2);
        newer.Channels = [newer.Channels[2], newer.Channels[0]];
        rig.Send(newer);
        rig.Run(1);
        Assert.Equal(9, rig.Badge.SelectedChannel);
    }

    [Fact]
    public void A_badge_without_any_config_plays_busy_on_push_to_talk_and_sends_nothing()
    {
        var rig = new BadgeRig();
        rig.Settings.CachedConfig = null;
        rig.Started();
        Assert.Equal(-1, rig.Badge.SelectedChannel);
        rig.Buttons.Talk = true;
        rig.Run(1);
        Assert.Equal(Tone.Busy, rig.Indicator.Tones.Last());
        Assert.Empty(rig.Transport.Control<FloorRequest>());
    }
}
