using Xunit.Abstractions;
using WalkieTalkie.Gateway.Tests.Sites.Support;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Sites;

/// <summary>
/// Presses at two houses within 20 ms of each other, over the real site link: exactly one talker keeps the floor, the
/// other hears the collision tone (floor-revoked or floor-denied, collision), and the listeners at both houses end up
/// hearing the same talker, whose burst plays to its end at both.
/// </summary>
[Collection(TwoSites.Collection)]
public sealed class FloorRaceAcrossSitesTests(ITestOutputHelper output)
{
    private const int Races = 5;

    [Fact]
    public async Task Presses_at_both_houses_within_20_ms_leave_one_talker_that_every_badge_hears()
    {
        await using var sites = await TwoSites.StartAsync(["anna", "carl"], ["bert", "dora"]);
        Assert.True(await sites.LinkedAsync(), "the sites did not link");
        var (anna, carl) = (await sites.A.ConnectAsync("anna"), await sites.A.ConnectAsync("carl"));
        var (bert, dora) = (await sites.B.ConnectAsync("bert"), await sites.B.ConnectAsync("dora"));
        var random = new Random(16);

        for (var race = 0; race < Races; race++)
        {
            var marks = new[] { anna, bert, carl, dora }.ToDictionary(b => b, b => b.Control.Count);
            var offset = random.Next(0, 21);
            var (first, second) = random.Next(2) == 0 ? (anna, bert) : (bert, anna);
            var firstAnswer = first.RequestFloorAsync(TwoSites.Channel);
            await Task.Delay(offset);
            var secondAnswer = second.RequestFloorAsync(TwoSites.Channel);
            var answers = new Dictionary<TestBadge, ControlMessage> { [first] = await firstAnswer, [second] = await secondAnswer };

            // Settled: exactly one press holds a grant that was not revoked.
            bool Revoked(TestBadge badge) => answers[badge] is FloorGranted g
                && badge.Control.Skip(marks[badge]).OfType<FloorRevoked>().Any(r => r.BurstId == g.BurstId);
            TestBadge[] Holding() => answers.Keys.Where(b => answers[b] is FloorGranted && !Revoked(b)).ToArray();
            Assert.True(await Eventually.TrueAsync(() => Holding().Length == 1, 10_000),
                $"race {race}: {Describe(answers, Revoked)} did not settle on one talker");
            var winner = Holding()[0];
            var loser = winner == anna ? bert : anna;
            var winnerName = winner == anna ? "Anna" : "Bert";
            output.WriteLine($"race {race}: {first.Id} then {second.Id} {offset} ms later: {Describe(answers, Revoked)}; {winner.Id} talks");
            if (answers[loser] is FloorGranted lost)
            {
                var revoked = loser.Control.Skip(marks[loser]).OfType<FloorRevoked>().Single(r => r.BurstId == lost.BurstId);
                Assert.Equal(EndReason.Collision, revoked.Reason);
            }
            else
            {
                Assert.Equal(DenyReason.Collision, Assert.IsType<FloorDenied>(answers[loser]).Reason);
            }

            // The winner talks on and lets go: both houses' listeners hear that talker play to its end.
            var grant = (FloorGranted)answers[winner];
            await winner.TalkAsync(grant, 15, gapMs: 20);
            foreach (var listener in new[] { carl, dora })
            {
                var start = await listener.WaitForAsync<BurstStart>(s => s.Talker == winnerName, timeoutMs: 10_000, skip: marks[listener]);
                await listener.WaitForAsync<BurstEnd>(e => e.BurstId == start.BurstId, timeoutMs: 10_000, skip: marks[listener]);
                var last = listener.Control.Skip(marks[listener]).OfType<BurstStart>().Last();
                Assert.Equal(winnerName, last.Talker);
                Assert.NotEmpty(listener.FramesOf(start.BurstId));
            }

            Assert.False(winner.Has<FloorRevoked>(r => r.BurstId == grant.BurstId), $"race {race}: the winner was cut");
            await Task.Delay(300); // the talker's end reaches the far house before the next presses
        }
    }

    private static string Describe(Dictionary<TestBadge, ControlMessage> answers, Func<TestBadge, bool> revoked) =>
        string.Join(", ", answers.Select(a => $"{a.Key.Id} {(a.Value is FloorGranted ? revoked(a.Key) ? "granted then revoked" : "granted" : "denied")}"));
}
