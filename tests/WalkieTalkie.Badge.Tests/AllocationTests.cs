using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;

namespace WalkieTalkie.Badge.Tests;

/// <summary>The per-frame path allocates nothing: on the badge every allocation feeds a garbage collector that stops the one thread.</summary>
public class AllocationTests
{
    private static BadgeRig QuietRig()
    {
        var rig = new BadgeRig(observe: false).Started();
        rig.Transport.RecordAudio = false;
        rig.Playback.Record = false;
        return rig;
    }

    [Fact]
    public void Talking_allocates_nothing_per_frame()
    {
        var rig = QuietRig();
        rig.PressAndGrant();
        rig.Run(200); // past the first frames and the JIT
        var sentBefore = rig.Transport.AudioPublished;
        var before = GC.GetAllocatedBytesForCurrentThread();
        rig.Run(2_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(rig.Transport.AudioPublished - sentBefore >= 20, "the window must hold frames");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Receiving_allocates_nothing_per_frame()
    {
        var rig = QuietRig();
        var frames = FrameMaker.Burst(70, 1, 60, 2);
        for (var i = 0; i < 5; i++)
        {
            rig.SendFrame(frames[i]);
            rig.Run(80);
        }

        // The topic string is built once, as a transport holds it; building it per post would be the test's allocation.
        var topic = WalkieTalkie.Protocol.Topics.DownAudio(rig.Settings.BadgeId);
        var playedBefore = rig.Playback.BlocksWritten;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 5; i < 50; i++)
        {
            rig.Badge.Inbox.Post(topic, frames[i], 0, frames[i].Length);
            rig.Run(80);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(BadgeMode.Receiving, rig.Mode);
        Assert.True(rig.Playback.BlocksWritten - playedBefore >= 80, "the window must hold played blocks");
        Assert.Equal(0, allocated);
    }
}
