using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Tests.Sites.Support;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;
using Xunit.Abstractions;

namespace WalkieTalkie.Gateway.Tests.Sites;

/// <summary>
/// A hundred races over the real site link: Anna (house A) and Bert (house B) press within 20 ms of each other, in a
/// random order, and each talks as a badge does (a frame per block from its grant until it is revoked or lets go).
/// After each race: exactly one keeps the floor, the other heard the collision tone (revoked, or refused with reason
/// collision when its gateway already knew of the other's claim), every badge at both houses ends on the winner's burst, and the loser's audio
/// stopped everywhere within one block of the decision.
/// </summary>
/// <remarks>
/// "Within one block of the decision": the decision is the moment the loser's gateway ends the loser's burst on its
/// engine loop (the arbiter's stop applied; <see cref="ForwardLog"/> stamps it). From then on that gateway forwards no
/// frame of the burst, to its badges or over the link, and the other house plays none it did not already have. What
/// may still arrive is what was on the wire at the decision: frames the gateway forwarded before it. The loser sends a
/// frame per block, so that is at most one block: after the decision, each badge at either house receives at most one
/// frame of the loser, and only a frame its gateway forwarded before the decision.
/// </remarks>
[Collection(TwoSites.Collection)]
public sealed class FloorRacesOverTheLinkTests(ITestOutputHelper output)
{
    private const int Races = 100;

    // A frame per block, as a badge sends: TestFrames' block is 321 samples, 40 ms at 8 kHz.
    private const int BlockMs = 40;

    // Enough of the winner's burst to hear it to its end at both houses.
    private const int WinnerFrames = 3;

    [Fact]
    public async Task A_hundred_races_within_20_ms_end_with_one_talker_that_every_badge_hears()
    {
        // Pure races: no turn-taking hold-off (a talker that others waited for is refused busy for 3 s after it lets go, a
        // turn, not a race: the winner of one race would otherwise be refused busy in the next whatever the other did).
        await using var sites = await TwoSites.StartAsync(["anna", "carl"], ["bert", "dora"], configure: site => site.Floor.HoldOffSeconds = 0);
        Assert.True(await sites.LinkedAsync(), "the sites did not link");
        var (anna, carl) = (await sites.A.ConnectAsync("anna"), await sites.A.ConnectAsync("carl"));
        var (bert, dora) = (await sites.B.ConnectAsync("bert"), await sites.B.ConnectAsync("dora"));
        var logA = new ForwardLog();
        var logB = new ForwardLog();
        using var watchA = sites.A.Host.Services.GetRequiredService<GatewayObservers>().Add(logA);
        using var watchB = sites.B.Host.Services.GetRequiredService<GatewayObservers>().Add(logB);
        var badges = new[] { anna, bert, carl, dora };
        var names = new Dictionary<TestBadge, string> { [anna] = "Anna", [bert] = "Bert", [carl] = "Carl", [dora] = "Dora" };
        var random = new Random(1600);
        var (collisions, refused, afterDecision) = (0, 0, 0);
        var clock = Stopwatch.StartNew();

        for (var race = 0; race < Races; race++)
        {
            var marks = badges.ToDictionary(b => b, b => (Control: b.Control.Count, Audio: b.Audio.Count));
            var offset = random.Next(0, 21);
            var (first, second) = random.Next(2) == 0 ? (anna, bert) : (bert, anna);
            var presses = new Dictionary<TestBadge, Presser> { [first] = new(first, marks[first].Control), [second] = new(second, marks[second].Control) };
            var firstPress = presses[first].PressAndTalkAsync(presses[second]);
            await Task.Delay(offset);
            var secondPress = presses[second].PressAndTalkAsync(presses[first]);
            await Task.WhenAll(firstPress, secondPress);

            // Settled: exactly one press holds a grant that was not revoked.
            TestBadge[] Holding() => presses.Values.Where(p => p.Grant is not null && !p.Revoked).Select(p => p.Badge).ToArray();
            Assert.True(await Eventually.TrueAsync(() => Holding().Length == 1, 10_000), $"race {race}: {Describe(presses)}: not one talker");
            var winner = Holding()[0];
            var loser = winner == anna ? bert : anna;
            var loserLog = loser == anna ? logA : logB;
            var loserHouse = loser == anna ? carl : dora;
            output.WriteLine($"race {race}: {first.Id} then {second.Id} {offset} ms later: {Describe(presses)}");

            // The loser heard the collision tone: revoked, or refused for a collision (its gateway knew of the other's claim: no burst started).
            var lost = presses[loser];
            if (lost.Grant is { } grant)
            {
                var revoked = loser.Control.Skip(marks[loser].Control).OfType<FloorRevoked>().Single(r => r.BurstId == grant.BurstId);
                Assert.Equal(EndReason.Collision, revoked.Reason);
                collisions++;
            }
            else
            {
                var denied = Assert.IsType<FloorDenied>(lost.Answer);
                var loserSite = loser == anna ? sites.A : sites.B;
                Assert.True(denied.Reason == DenyReason.Collision, $"race {race}: {names[loser]} was refused {denied.Reason}, not for the collision; " +
                    "its gateway's floor decisions: " + string.Join(" | ", loserSite.Log.Lines.Where(l => l.Contains("Floor denied")).TakeLast(3)));
                refused++;
            }

            // Every badge but the winner ends on the winner's burst, heard to its end; nobody is left in the loser's.
            foreach (var badge in badges.Where(b => b != winner))
            {
                var skip = marks[badge].Control;
                var start = await badge.WaitForAsync<BurstStart>(s => s.Talker == names[winner], timeoutMs: 10_000, skip: skip);
                await badge.WaitForAsync<BurstEnd>(e => e.BurstId == start.BurstId, timeoutMs: 10_000, skip: skip);
                var starts = badge.Control.Skip(skip).OfType<BurstStart>().ToList();
                Assert.True(starts[^1].Talker == names[winner], $"race {race}: {badge.Id} ended on {starts[^1].Talker}'s burst, {names[winner]} won");
                Assert.All(starts, s => Assert.True(badge.Has<BurstEnd>(e => e.BurstId == s.BurstId), $"race {race}: {badge.Id} left in {s.Talker}'s burst"));
                Assert.NotEmpty(badge.FramesOf(start.BurstId));
            }

            Assert.False(winner.Control.Skip(marks[winner].Control).OfType<FloorRevoked>().Any(), $"race {race}: the winner was cut");

            // Stopped everywhere within one block of the decision (see the remarks).
            if (lost.Grant is { } stopped)
            {
                var decision = loserLog.EndOf(stopped.BurstId);
                Assert.True(decision is { Reason: EndReason.Collision }, $"race {race}: the loser's gateway did not stop its burst for the collision");
                var forwarded = loserLog.FramesOf(stopped.BurstId);
                Assert.DoesNotContain(forwarded, f => f.At > decision.Value.At);
                var onTheWire = forwarded.Select(f => f.Sequence).ToHashSet();
                foreach (var badge in badges.Where(b => b != loser))
                {
                    var late = LoserFramesOf(badge, marks[badge], stopped.BurstId, names[loser], local: badge == loserHouse)
                        .Where(f => f.ArrivedAt > decision.Value.At).ToList();
                    Assert.True(late.Count <= 1, $"race {race}: {badge.Id} received {late.Count} frames of {loser.Id} after the decision");
                    Assert.All(late, f => Assert.Contains(f.Sequence, onTheWire));
                    afterDecision += late.Count;
                }
            }

            await QuietAsync(sites, race);
        }

        output.WriteLine($"{Races} races in {clock.Elapsed.TotalSeconds:F1} s: {collisions} collisions (granted, then revoked), {refused} refused for a collision, " +
            $"{afterDecision} loser frames arrived after the decision (all on the wire before it)");
    }

    /// <summary>
    /// A press, and the talk that follows as a badge does it: a frame per block from the grant until the floor is revoked;
    /// a press that keeps the floor talks on until the other press has lost (refused or revoked) and it has said
    /// <see cref="WinnerFrames"/> frames, then lets go, so the race ends as soon as it is decided, however long that takes.
    /// </summary>
    private sealed class Presser(TestBadge badge, int mark)
    {
        // A bound on the talk for when the race is never decided (the test then fails on two talkers): 10 s.
        private const int MaxFrames = 250;

        private volatile ControlMessage? _answer;

        public TestBadge Badge => badge;

        public ControlMessage? Answer => _answer;

        public FloorGranted? Grant => _answer as FloorGranted;

        public int FramesSent { get; private set; }

        public bool Revoked => Grant is { } grant && RevokedOf(badge, grant, mark);

        private bool Lost => _answer is FloorDenied || Revoked;

        public async Task PressAndTalkAsync(Presser other)
        {
            _answer = await badge.RequestFloorAsync(TwoSites.Channel);
            if (_answer is not FloorGranted grant)
            {
                return;
            }

            while (!Revoked && (FramesSent < WinnerFrames || !other.Lost) && FramesSent < MaxFrames)
            {
                await badge.SendFrameAsync(TestFrames.Make(grant.Channel, grant.BurstId, (ushort)FramesSent));
                FramesSent++;
                await Task.Delay(BlockMs);
            }

            if (!Revoked)
            {
                await badge.SendAsync(new FloorRelease { Channel = grant.Channel, BurstId = grant.BurstId, FrameCount = (ushort)FramesSent });
            }
        }
    }

    private static bool RevokedOf(TestBadge badge, FloorGranted grant, int mark) =>
        badge.Control.Skip(mark).OfType<FloorRevoked>().Any(r => r.BurstId == grant.BurstId);

    // The loser's frames a badge received in this race: at the loser's house under its burst id; at the other house under
    // the id of the burst that house started for the loser (the link keeps each frame's sequence).
    private static List<(ushort Sequence, long ArrivedAt)> LoserFramesOf(TestBadge badge, (int Control, int Audio) mark, uint loserBurstId, string loserName,
        bool local)
    {
        var bursts = local
            ? [loserBurstId]
            : badge.Control.Skip(mark.Control).OfType<BurstStart>().Where(s => s.Talker == loserName).Select(s => s.BurstId).ToHashSet();
        var frame = new AudioFrame();
        var frames = new List<(ushort, long)>();
        foreach (var (payload, arrivedAt) in badge.Audio.Skip(mark.Audio).Zip(badge.AudioArrivals.Skip(mark.Audio)))
        {
            if (frame.Read(payload, 0, payload.Length) == WalkieTalkie.Protocol.ProtocolError.None && bursts.Contains(frame.BurstId))
            {
                frames.Add((frame.Sequence, arrivedAt));
            }
        }

        return frames;
    }

    // Before the next presses: neither house's arbiter holds a claim, its own or the other's, and neither house's floor is
    // still held by the last burst (a remote burst holds the local floor until its end arrives over the link): a press
    // then would be refused busy, a turn, not a race.
    private static async Task QuietAsync(TwoSites sites, int race)
    {
        var engines = new[] { sites.A, sites.B }.Select(s => s.Host.Engine).ToArray();
        var room = sites.RoomId;
        Assert.True(await Eventually.TrueAsync(() => engines.All(e => e.SiteFloor!.LocalHolder(room) is null && e.SiteFloor.RemoteHolder(room) is null
                                                                   && e.Floor.Holds.Count == 0), 10_000),
            $"race {race}: the floor did not come free at both houses");
    }

    private static string Describe(Dictionary<TestBadge, Presser> presses) =>
        string.Join(", ", presses.Values.Select(p => $"{p.Badge.Id} {(p.Grant is null ? "denied" : p.Revoked ? $"granted, revoked after {p.FramesSent} frames" : "granted")}"));
}
