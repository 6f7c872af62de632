using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

/// <summary>Talking or listening cut short: preemption by a priority talker, the connection dropping mid-burst.</summary>
public class InterruptionTests
{
    [Fact]
    public void A_preempted_talker_hears_the_priority_talker_from_the_start_once_it_lets_go()
    {
        var rig = new BadgeRig().Started();
        var mine = rig.PressAndGrant(burstId: 40);
        rig.Run(300);
        rig.Send(new FloorRevoked { Channel = 1, BurstId = mine, Reason = EndReason.Preempted });
        rig.Send(new BurstStart { Channel = 1, BurstId = 41, RateCode = 0, Flags = BurstFlags.Priority, Talker = "mum" });
        var priority = FrameMaker.Burst(41, 1, 3, 2);
        rig.SendFrame(priority[0]);
        rig.Run(80);

        Assert.Equal(BadgeMode.Revoked, rig.Mode);
        Assert.Equal(Tone.Preempted, rig.Indicator.Tones.Last());
        Assert.True(rig.Badge.Unplayed.Contains(41));
        Assert.Empty(rig.Playback.Blocks);

        rig.Buttons.Talk = false;
        rig.Run(600);
        Assert.Equal(41u, rig.Transport.Control<PlayRequest>().Single().BurstId);
        foreach (var frame in FrameMaker.Burst(41, 1, 3, 2, replay: true))
        {
            rig.SendFrame(frame);
            rig.Run(20);
        }

        rig.Run(600);
        Assert.Equal(Enumerable.Range(0, 6), rig.Playback.Blocks.Select(FrameMaker.Identify));
        Assert.Equal(41u, rig.Transport.Control<Played>().Single().BurstId);
        Assert.Empty(rig.Transport.Control<FloorRelease>()); // a revoked burst is not released again
    }

    [Fact]
    public void Losing_the_connection_while_listening_stops_playing_and_asks_for_the_burst_again_once_back()
    {
        var rig = new BadgeRig().Started();
        var frames = FrameMaker.Burst(50, 1, 6, 2);
        foreach (var frame in frames.Take(3))
        {
            rig.SendFrame(frame);
            rig.Run(80);
        }

        Assert.Equal(BadgeMode.Receiving, rig.Mode);
        rig.Transport.IsConnected = false;
        rig.Transport.Reachable = false;
        rig.Run(1);

        Assert.Equal(BadgeMode.Connecting, rig.Mode);
        Assert.False(rig.Playback.Running);
        Assert.Contains(Tone.ConnectionLost, rig.Indicator.Tones);
        Assert.True(rig.Badge.Unplayed.Contains(50));
        Assert.Contains(rig.Observer.Events, e => e.Kind == BadgeEvent.ConnectionLost && e.Value == (int)BadgeMode.Receiving);

        rig.Transport.Reachable = true;
        rig.Run(1_100);
        Assert.Equal(50u, rig.Transport.Control<PlayRequest>().Single().BurstId);
        var heardBefore = rig.Playback.Blocks.Count;
        foreach (var frame in FrameMaker.Burst(50, 1, 6, 2, replay: true))
        {
            rig.SendFrame(frame);
            rig.Run(20);
        }

        rig.Run(1_000);
        Assert.Equal(Enumerable.Range(0, 12), rig.Playback.Blocks.Skip(heardBefore).Select(FrameMaker.Identify));
        Assert.Equal(50u, rig.Transport.Control<Played>().Single().BurstId);
        Assert.Equal(0, rig.Badge.Unplayed.Count);
    }

    [Fact]
    public void A_live_frame_of_a_queued_burst_does_not_jump_the_queue_mid_burst()
    {
        var rig = new BadgeRig().Started();
        rig.PressAndGrant(burstId: 1);
        rig.Send(new BurstStart { Channel = 1, BurstId = 60, RateCode = 0, Talker = "x" });
        rig.Send(new BurstStart { Channel = 2, BurstId = 61, RateCode = 0, Talker = "y" });
        rig.Run(5);
        rig.Buttons.Talk = false;
        rig.Run(200);
        Assert.Equal(BadgeMode.Idle, rig.Mode);
        Assert.Equal(60u, rig.Transport.Control<PlayRequest>().Single().BurstId);

        // Burst 61 is still live: its middle frames reach the badge while it waits for 60.
        var live = FrameMaker.Burst(61, 2, 6, 1);
        rig.SendFrame(live[3]);
        rig.Run(5);
        Assert.Equal(BadgeMode.Idle, rig.Mode);

        foreach (var frame in FrameMaker.Burst(60, 1, 3, 1, replay: true))
        {
            rig.SendFrame(frame);
            rig.Run(40);
        }

        rig.Run(300);
        Assert.Equal([60u, 61u], rig.Transport.Control<PlayRequest>().Select(r => r.BurstId));
        foreach (var frame in FrameMaker.Burst(61, 2, 6, 1, replay: true))
        {
            rig.SendFrame(frame);
            rig.Run(40);
        }

        rig.Run(400);
        Assert.Equal([0, 1, 2, 0, 1, 2, 3, 4, 5], rig.Playback.Blocks.Select(FrameMaker.Identify));
        Assert.Equal([60u, 61u], rig.Transport.Control<Played>().Select(r => r.BurstId));
    }
}
