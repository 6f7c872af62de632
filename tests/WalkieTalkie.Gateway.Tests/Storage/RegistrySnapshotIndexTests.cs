using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Tests.Storage;

/// <summary>
/// The snapshot answers "which channels is this badge in" and "is it a member" from indexes built once, not by
/// scanning every membership: the answers must be what a scan gives, for members, permit holders and strangers.
/// </summary>
public sealed class RegistrySnapshotIndexTests
{
    [Fact]
    public void Channels_and_membership_come_out_as_a_scan_of_the_memberships_gives_them()
    {
        var random = new Random(7);
        var badges = Enumerable.Range(0, 60).Select(i => $"badge-{i:D2}").ToList();
        var memberships = new List<(string BadgeId, byte Channel)>();
        foreach (var badge in badges.Take(50))
        {
            foreach (var channel in new byte[] { 1, 2, 3, 4 }.Where(_ => random.Next(2) == 0))
            {
                memberships.Add((badge, channel));
            }
        }

        var permits = new List<PermitRecord> { new("badge-55", 2, 1, 1, 0, "lead", true), new("badge-00", 1, 1, 1, 0, "lead", true) };
        var snapshot = new RegistrySnapshot(1, [], [], memberships, permits);

        foreach (var badge in badges.Append("stranger").Append("BADGE-00"))
        {
            Assert.Equal(memberships.Where(m => m.BadgeId == badge).Select(m => m.Channel), snapshot.ChannelsOf(badge));
            foreach (var channel in new byte[] { 1, 2, 3, 4, 5 })
            {
                var listed = memberships.Contains((badge, channel));
                Assert.Equal(listed || permits.Any(p => p.BadgeId == badge && p.Channel == channel), snapshot.IsMember(badge, channel));
                Assert.Equal(listed, snapshot.Members(channel).Contains(badge));
            }
        }
    }
}
