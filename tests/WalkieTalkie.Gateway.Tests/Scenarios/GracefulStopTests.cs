using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Scenarios;

/// <summary>A graceful stop (Ctrl+C, SIGTERM) in the middle of a burst ends it cleanly.</summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task Stopping_mid_burst_tells_talker_and_listeners_and_finishes_the_recording()
    {
        await using var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddBadge("ben");
        g.AddChannel(1, 8000, "anna", "ben");
        await g.StartAsync();
        var anna = await g.ConnectAsync("anna");
        var ben = await g.ConnectAsync("ben");
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(1));
        await anna.TalkAsync(grant, 6, release: false);
        Assert.True(await Eventually.TrueAsync(() => ben.FramesOf(grant.BurstId).Count == 6));

        await g.Host.StopAsync();

        Assert.True(await Eventually.TrueAsync(() => anna.Has<FloorRevoked>(r => r.BurstId == grant.BurstId), 2000));
        Assert.True(await Eventually.TrueAsync(() => ben.Has<BurstEnd>(e => e.BurstId == grant.BurstId && e.FrameCount == 6), 2000));
        var recording = new SqliteRecordingIndex(g.Database).Get(grant.BurstId)!;
        Assert.True(recording.Complete);
        Assert.Empty(new SqliteRecordingIndex(g.Database).Unfinished());
        var file = Recordings.Wav(g.Options.DataDirectory, recording.Path);
        var info = new WavInfo();
        Assert.Equal(WavError.Ok, WavReader.Read(file, file.Length, info));
        Assert.Equal(6, info.BlockCount);
        Assert.False(info.DataSizeInferred);
    }
}
