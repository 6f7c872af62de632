using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>A started fleet's badges connect, then one of them holds the button for a while and lets go.</summary>
public static class OneBurst
{
    /// <summary>Returns when the talking began and ended (wall clock).</summary>
    public static async Task<(DateTimeOffset From, DateTimeOffset To)> TalkAsync(VirtualBadgeFleet fleet, WalkieTalkie.Badge.Simulation.VirtualBadge talker, double seconds)
    {
        if (!await fleet.WaitUntilAsync(f => f.Badges.All(b => b.Mode == BadgeMode.Idle), TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("the badges did not connect");
        }

        talker.SetTalk(true);
        if (!await fleet.WaitUntilAsync(_ => talker.Mode == BadgeMode.Talking, TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("the floor was not granted");
        }

        var from = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        talker.SetTalk(false);
        return (from, DateTimeOffset.UtcNow);
    }
}
