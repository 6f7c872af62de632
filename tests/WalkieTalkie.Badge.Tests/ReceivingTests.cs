using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Playback;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

public class ReceivingTests
{
    private static void Stream(BadgeRig rig, List<byte[]> frames, int frameMilliseconds = 80)
    {
        foreach (var frame in frames)
        {
            rig.SendFrame(frame);
            rig.Run(frameMilliseconds);
        }
    }

    [Fact]
    public void A_burst_is_played_in_order_then_acknowledged_with_played()
    {
        var rig = new BadgeRig().Started();
        rig.Send(new BurstStart { Channel = 1, BurstId = 500, RateCode = 0, Talker = "mum" });
        rig.Run(1);
        Assert.Equal(BadgeMode.Receiving, rig.Mode);
        Assert.Equal(BadgeStatus.Listening, rig.Transport.Control<BadgeState>().Last().Status);

        Stream(rig, FrameMaker.Burst(500, 1, 10, 2));
        rig.Send(new BurstEnd { Channel = 1, BurstId = 500, Reason = EndReason.Released, FrameCount = 10 });
        rig.Run(500);

        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.Equal(Enumerable.Range(0, 20), rig.Playback.Blocks.Select(FrameMaker.Identify));
        Assert.Equal(500u, rig.Transport.Control<Played>().Single().BurstId);
        Assert.Equal(20, rig.Badge.Jitter.Played);
        Assert.False(rig.Playback.Running);
    }

    [Fact]
    public void A_first_frame_that_overtakes_its_burst_start_starts_the_burst()
    {
        var rig = new BadgeRig().Started();
        var frames = FrameMaker.Burst(9, 2, 3, 2, rate: 1);
        rig.SendFrame(frames[0]);
        rig.Run(1);
        Assert.Equal(BadgeMode.Receiving, rig.Mode);
        Assert.Equal(16000, rig.Playback.SampleRate);
        rig.Send(new BurstStart { Channel = 2, BurstId = 9, RateCode = 1, Talker = "dad" });
        Stream(rig, frames.Skip(1).ToList(), 40);
        rig.Run(300);
        Assert.Equal(Enumerable.Range(0, 6), rig.Playback.Blocks.Select(FrameMaker.Identify));
    }

    [Fact]
    public void Frames_of_a_finished_burst_are_dropped()
    {
        var rig = new BadgeRig().Started();
        var frames = FrameMaker.Burst(3, 1, 2, 1);
        Stream(rig, frames);
        rig.Run(400);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        rig.SendFrame(frames[0]);
        rig.Run(10);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
    }

    [Fact]
    public void A_burst_whose_frames_stop_is_abandoned_without_played()
    {
        var rig = new BadgeRig().Started();
        var frames = FrameMaker.Burst(3, 1, 10, 1);
        Stream(rig, frames.Take(4).ToList(), 40);
        rig.Run(2500);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.True(rig.Observer.Saw(BadgeEvent.ReceiveAbandoned));
        Assert.Empty(rig.Transport.Control<Played>());
    }

    [Fact]
    public void Push_to_talk_while_receiving_plays_the_busy_tone_and_keeps_listening()
    {
        var rig = new BadgeRig().Started();
        Stream(rig, FrameMaker.Burst(3, 1, 3, 1).Take(2).ToList(), 40);
        rig.Buttons.Talk = true;
        rig.Run(1);
        Assert.Equal(BadgeMode.Receiving, rig.Mode);
        Assert.Equal(Tone.Busy, rig.Indicator.Tones.Last());
        Assert.Empty(rig.Transport.Control<FloorRequest>());
    }

    [Fact]
    public void Push_to_talk_once_the_talker_let_go_cuts_the_tail_and_asks_for_the_floor_at_once()
    {
        var rig = new BadgeRig().Started();
        rig.Send(new BurstStart { Channel = 1, BurstId = 500, RateCode = 0, Talker = "mum" });
        Stream(rig, FrameMaker.Burst(500, 1, 10, 2));
        rig.Send(new BurstEnd { Channel = 1, BurstId = 500, Reason = EndReason.Released, FrameCount = 10 });
        rig.Run(1);
        Assert.Equal(BadgeMode.Receiving, rig.Mode); // the jitter buffer's last blocks still play

        rig.Buttons.Talk = true;
        rig.Run(1);
        Assert.Equal(BadgeMode.Requesting, rig.Mode);
        Assert.DoesNotContain(Tone.Busy, rig.Indicator.Tones);
        Assert.Single(rig.Transport.Control<FloorRequest>());
        // Heard: all but its last blocks played, so it is not queued to be played again.
        Assert.Equal(500u, rig.Transport.Control<Played>().Single().BurstId);
        Assert.Equal(0, rig.Badge.Unplayed.Count);
        Assert.False(rig.Playback.Running);
    }

    [Fact]
    public void Push_to_talk_while_a_replay_plays_is_still_busy_even_once_its_end_is_known()
    {
        var rig = new BadgeRig().Started();
        rig.Send(new BurstStart { Channel = 1, BurstId = 501, RateCode = 0, Talker = "mum", Flags = BurstFlags.Replay });
        rig.Send(new BurstEnd { Channel = 1, BurstId = 501, Reason = EndReason.Released, FrameCount = 10 });
        Stream(rig, FrameMaker.Burst(501, 1, 10, 2).Take(3).ToList(), 40);
        Assert.Equal(BadgeMode.Receiving, rig.Mode);

        rig.Buttons.Talk = true;
        rig.Run(1);
        Assert.Equal(BadgeMode.Receiving, rig.Mode);
        Assert.Equal(Tone.Busy, rig.Indicator.Tones.Last());
        Assert.Empty(rig.Transport.Control<FloorRequest>());
        Assert.Empty(rig.Transport.Control<Played>());
    }

    [Fact]
    public void A_priority_talker_pressing_while_receiving_asks_for_the_floor_and_the_burst_waits_to_be_played()
    {
        var rig = new BadgeRig().Started();
        rig.Send(new TalkerOptions { Flags = TalkerOptions.Override });
        rig.Run(1);
        Stream(rig, FrameMaker.Burst(3, 1, 3, 1).Take(2).ToList(), 40);
        Assert.Equal(BadgeMode.Receiving, rig.Mode);

        rig.Buttons.Talk = true;
        rig.Run(1);
        Assert.Equal(BadgeMode.Requesting, rig.Mode);
        Assert.DoesNotContain(Tone.Busy, rig.Indicator.Tones);
        Assert.Single(rig.Transport.Control<FloorRequest>());
        Assert.Empty(rig.Transport.Control<Played>());

        rig.Send(new FloorGranted { Channel = rig.Transport.Control<FloorRequest>().Single().Channel, BurstId = 77, MaxTalkSeconds = 30 });
        rig.Run(1);
        Assert.Equal(BadgeMode.Talking, rig.Mode);
    }

    [Fact]
    public void A_badge_told_it_is_no_longer_a_priority_talker_answers_busy_again()
    {
        var rig = new BadgeRig().Started();
        rig.Send(new TalkerOptions { Flags = TalkerOptions.Override });
        rig.Send(new TalkerOptions { Flags = 0 });
        rig.Run(1);
        Stream(rig, FrameMaker.Burst(3, 1, 3, 1).Take(2).ToList(), 40);
        rig.Buttons.Talk = true;
        rig.Run(1);
        Assert.Equal(BadgeMode.Receiving, rig.Mode);
        Assert.Equal(Tone.Busy, rig.Indicator.Tones.Last());
        Assert.Empty(rig.Transport.Control<FloorRequest>());
    }

    [Fact]
    public void A_burst_heard_while_talking_is_queued_and_asked_for_once_free()
    {
        var rig = new BadgeRig().Started();
        rig.PressAndGrant(burstId: 1);
        rig.Send(new BurstStart { Channel = 2, BurstId = 600, RateCode = 1, Talker = "teacher" });
        rig.SendFrame(FrameMaker.Burst(600, 2, 2, 1, rate: 1)[0]);
        rig.Run(200);
        Assert.Equal(BadgeMode.Talking, rig.Mode);
        Assert.Equal(1, rig.Badge.Unplayed.Count);

        rig.Buttons.Talk = false;
        rig.Run(100);
        Assert.Equal(600u, rig.Transport.Control<PlayRequest>().Single().BurstId);

        // The gateway replays it from its first frame.
        Stream(rig, FrameMaker.Burst(600, 2, 3, 1, rate: 1, replay: true), 20);
        rig.Run(300);
        Assert.Equal(600u, rig.Transport.Control<Played>().Single().BurstId);
        Assert.Equal(0, rig.Badge.Unplayed.Count);
        Assert.Equal(Enumerable.Range(0, 3), rig.Playback.Blocks.Select(FrameMaker.Identify));
    }

    [Fact]
    public void A_second_burst_during_playback_is_queued_and_played_afterwards()
    {
        var rig = new BadgeRig().Started();
        var first = FrameMaker.Burst(10, 1, 4, 1);
        rig.SendFrame(first[0]);
        rig.SendFrame(first[1]);
        rig.Send(new BurstStart { Channel = 2, BurstId = 11, RateCode = 0, Talker = "x" });
        rig.Run(40);
        Assert.Equal(1, rig.Badge.Unplayed.Count);
        Stream(rig, first.Skip(2).ToList(), 40);
        rig.Run(300);
        Assert.Equal(11u, rig.Transport.Control<PlayRequest>().Single().BurstId);
    }

    [Theory]
    [InlineData(PlaybackOrder.InOrder, new uint[] { 101, 102, 103, 104 })]
    [InlineData(PlaybackOrder.NewestChannelFirst, new uint[] { 102, 104, 101, 103 })]
    public void The_unplayed_list_is_asked_for_in_the_configured_order(PlaybackOrder order, uint[] expected)
    {
        var rig = new BadgeRig(config: BadgeRig.DefaultConfig(order)).Started();
        rig.Send(new UnplayedList
        {
            Entries =
            [
                new UnplayedEntry { BurstId = 101, Channel = 1, DurationMs = 200 },
                new UnplayedEntry { BurstId = 102, Channel = 2, DurationMs = 200 },
                new UnplayedEntry { BurstId = 103, Channel = 1, DurationMs = 200 },
                new UnplayedEntry { BurstId = 104, Channel = 2, DurationMs = 200 },
            ],
        });
        foreach (var _ in expected)
        {
            rig.Run(2);
            var burst = rig.Transport.Control<PlayRequest>().Last().BurstId;
            Stream(rig, FrameMaker.Burst(burst, burst % 2 == 0 ? (byte)2 : (byte)1, 2, 1, replay: true), 40);
            rig.Run(300);
        }

        Assert.Equal(expected, rig.Transport.Control<PlayRequest>().Select(r => r.BurstId));
        Assert.Equal(expected, rig.Transport.Control<Played>().Select(r => r.BurstId));
    }

    [Fact]
    public void A_requested_burst_that_never_comes_is_given_up_and_the_next_is_asked_for()
    {
        var rig = new BadgeRig().Started();
        rig.Send(new UnplayedList { Entries = [new UnplayedEntry { BurstId = 1, Channel = 1 }, new UnplayedEntry { BurstId = 2, Channel = 1 }] });
        rig.Run(5100);
        Assert.Equal([1u, 2u], rig.Transport.Control<PlayRequest>().Select(r => r.BurstId));
    }
}

public class UnplayedQueueTests
{
    [Fact]
    public void In_order_is_oldest_first_across_channels()
    {
        var queue = new UnplayedQueue(8);
        queue.Add(1, 5);
        queue.Add(2, 6);
        queue.Add(3, 5);
        var order = new List<uint>();
        while (queue.Count > 0)
        {
            var next = queue.Next(PlaybackOrder.InOrder);
            order.Add(next);
            queue.Remove(next);
        }

        Assert.Equal([1u, 2u, 3u], order);
    }

    [Fact]
    public void Newest_channel_first_plays_the_channel_of_the_newest_burst_first_in_order()
    {
        var queue = new UnplayedQueue(8);
        queue.Add(1, 5);
        queue.Add(2, 6);
        queue.Add(3, 5);
        queue.Add(4, 7);
        queue.Add(5, 6);
        var order = new List<uint>();
        while (queue.Count > 0)
        {
            var next = queue.Next(PlaybackOrder.NewestChannelFirst);
            order.Add(next);
            queue.Remove(next);
        }

        Assert.Equal([2u, 5u, 4u, 1u, 3u], order);
    }

    [Fact]
    public void A_full_queue_drops_its_oldest_and_ignores_repeats()
    {
        var queue = new UnplayedQueue(2);
        queue.Add(1, 1);
        queue.Add(1, 1);
        queue.Add(2, 1);
        queue.Add(3, 1);
        Assert.Equal(2, queue.Count);
        Assert.False(queue.Contains(1));
        Assert.Equal(1, queue.Overflowed);
    }
}
