using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Tests.Sites.Support;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Gateway.Tests.Sites;

/// <summary>
/// Two gateways linked through their room on the test homeserver: a badge's burst at one site plays live at the other
/// (its audio found by correlation in what the far badge received), is recorded by the talker's gateway only, and the
/// sites go on alone when the network between them is cut, then link again by themselves.
/// </summary>
[Collection(TwoSites.Collection)]
public sealed class LiveAcrossSitesTests
{
    private const int Rate = 8000;
    private const int SamplesPerBlock = 321;

    [Fact]
    public async Task A_burst_at_one_site_plays_live_at_the_other_and_is_recorded_once()
    {
        await using var sites = await TwoSites.StartAsync(["anna"], ["bert"]);
        Assert.True(await sites.LinkedAsync(), "the sites did not link");
        var anna = await sites.A.ConnectAsync("anna");
        var bert = await sites.B.ConnectAsync("bert");

        var reference = Speech.Signal(seed: 3, seconds: 3, Rate);
        var blocks = Speech.Encode(reference, SamplesPerBlock);
        var burstId = await TwoSites.TalkAsync(anna, blocks);

        var start = await bert.WaitForAsync<BurstStart>(timeoutMs: 10_000);
        Assert.Equal("Anna", start.Talker);
        var end = await bert.WaitForAsync<BurstEnd>(e => e.BurstId == start.BurstId, timeoutMs: 10_000);
        var heard = bert.FramesOf(start.BurstId).OrderBy(f => f.Sequence).Select(f => f.Payload).ToList();
        Assert.Equal(blocks.Count, heard.Count);
        var score = Speech.Heard(Speech.Decode(reference.Length, blocks), Speech.Decode(reference.Length, BlocksOf(heard)), Rate);
        Assert.True(score.Score > 0.95, $"site B heard site A's burst with correlation {score.Score:0.000}");

        // Recorded by the talker's gateway only.
        await Eventually.TrueAsync(() => Index(sites.A).Get(burstId) is { Complete: true });
        Assert.Equal("anna", Index(sites.A).Get(burstId)!.BadgeId);
        Assert.Empty(Index(sites.B).Recent(10));
        Assert.DoesNotContain(Index(sites.A).Recent(10), r => r.BurstId != burstId);
        Assert.Equal(blocks.Count, end.FrameCount);
    }

    [Fact]
    public async Task Cut_mid_burst_each_site_goes_on_alone_and_they_link_again()
    {
        await using var sites = await TwoSites.StartAsync(["anna"], ["bert"]);
        Assert.True(await sites.LinkedAsync(), "the sites did not link");
        var anna = await sites.A.ConnectAsync("anna");
        var bert = await sites.B.ConnectAsync("bert");

        // Anna talks; the network goes down while she does.
        var grant = Assert.IsType<FloorGranted>(await anna.RequestFloorAsync(TwoSites.Channel));
        var frames = BurstFrames.Cut(Speech.Encode(Speech.Signal(5, 2, Rate), SamplesPerBlock), TwoSites.Channel, grant.BurstId,
            SampleRate.FromHertz(Rate), 1);
        for (var i = 0; i < 10; i++)
        {
            await anna.SendFrameAsync(frames[i]);
            await Task.Delay(20);
        }

        var remote = await bert.WaitForAsync<BurstStart>(timeoutMs: 10_000);
        sites.Network.Cut();
        // Site B ends the burst it can no longer hear; site A's talker is not cut.
        await bert.WaitForAsync<BurstEnd>(e => e.BurstId == remote.BurstId, timeoutMs: 10_000);
        for (var i = 10; i < frames.Count; i++)
        {
            await anna.SendFrameAsync(frames[i]);
            await Task.Delay(10);
        }

        await anna.SendAsync(new FloorRelease { Channel = TwoSites.Channel, BurstId = grant.BurstId, FrameCount = (ushort)frames.Count });
        await Eventually.TrueAsync(() => Index(sites.A).Get(grant.BurstId) is { Complete: true });
        Assert.False(anna.Has<FloorRevoked>());
        Assert.Equal(frames.Count, Index(sites.A).Get(grant.BurstId)!.FramesReceived);

        // Alone, each site still works: Bert talks at B and is recorded there, once the room's floor event says Anna let go
        // (the homeserver is still reachable, so the room holds the floor while the sites are apart).
        Assert.True(await Eventually.TrueAsync(() => !TwoSites.LinksOf(sites.B).IsLinked("site-a"), 10_000));
        Assert.True(await Eventually.TrueAsync(() => sites.B.Host.Engine.RoomFloor!.PeerHolder(sites.RoomId, []) is null, 10_000),
            "site B never saw Anna's release in the room");
        var bertBurst = await TwoSites.TalkAsync(bert, Speech.Encode(Speech.Signal(7, 1, Rate), SamplesPerBlock));
        await Eventually.TrueAsync(() => Index(sites.B).Get(bertBurst) is { Complete: true });
        Assert.Equal("bert", Index(sites.B).Get(bertBurst)!.BadgeId);
        Assert.DoesNotContain(anna.Control, m => m is BurstStart s && s.Talker == "Bert");

        // The network is back: they link again without a restart, and Anna is heard at B again.
        sites.Network.Restore();
        Assert.True(await sites.LinkedAsync(), "the sites did not link again");
        var before = bert.Control.Count;
        await TwoSites.TalkAsync(anna, Speech.Encode(Speech.Signal(9, 1, Rate), SamplesPerBlock));
        var again = await bert.WaitForAsync<BurstStart>(s => s.Talker == "Anna", timeoutMs: 10_000, skip: before);
        await bert.WaitForAsync<BurstEnd>(e => e.BurstId == again.BurstId, timeoutMs: 10_000);
        Assert.NotEmpty(bert.FramesOf(again.BurstId));
    }

    private static IRecordingIndex Index(TestGateway site) => site.Host.Services.GetRequiredService<IRecordingIndex>();

    private static List<byte[]> BlocksOf(List<byte[]> frames)
    {
        var reader = new AudioFrame();
        var blocks = new List<byte[]>();
        foreach (var frame in frames)
        {
            Assert.Equal(ProtocolError.None, reader.Read(frame, 0, frame.Length));
            for (var b = 0; b < reader.BlockCount; b++)
            {
                blocks.Add(frame.AsSpan(AudioFrame.HeaderLength + b * reader.BlockBytes, reader.BlockBytes).ToArray());
            }
        }

        return blocks;
    }
}
