using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.EndToEnd.Tests.Support;
using WalkieTalkie.Matrix.Client;
using WalkieTalkie.Matrix.Client.Presence;

namespace WalkieTalkie.EndToEnd.Tests;

/// <summary>
/// Issue 13 item 5, the Matrix side: a linked badge's account carries presence, so a phone sees who is reachable:
/// online while the badge is awake, unavailable in standby, offline once it is gone.
/// </summary>
public class BadgePresenceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_linked_badges_account_is_online_while_awake_unavailable_in_standby_and_offline_when_gone()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;
        using var folder = TestFolder.Create("wt-e2e-presence-", output);
        using var loggers = TestLoggers.Create(output);

        await using var setUp = await OneLinkedBadge.CreateAsync(folder, loggers, ct);
        var (hs, gateway, secret, anna) = (setUp.Homeserver, setUp.Gateway, setUp.Secret, setUp.Anna);
        await gateway.StartAsync(ct);

        using var phone = new MatrixClient(hs.BaseUrl);
        await phone.RegisterAsync("dad", "dad-password", cancellationToken: ct);
        Assert.Equal(PresenceState.Offline, await phone.GetPresenceAsync(anna.UserId, ct));

        var tunables = VirtualBadgeSettings.DefaultTunables();
        tunables.StandbyAfterMilliseconds = 3000;
        await using (var fleet = new VirtualBadgeFleet { Log = (_, line) => output.WriteLine(line) })
        {
            fleet.Add(new VirtualBadgeSettings { Id = "anna", Port = gateway.Port, Password = secret, Tunables = tunables, Channels = [new VirtualChannel(1, 8000)] });
            fleet.Start();
            var badge = fleet.Badges[0];
            Assert.True(await fleet.WaitUntilAsync(_ => badge.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(15), ct), "the badge did not connect");
            await WaitForPresenceAsync(phone, anna.UserId, PresenceState.Online, ct);

            Assert.True(await fleet.WaitUntilAsync(_ => badge.Mode == BadgeMode.Standby, TimeSpan.FromSeconds(15), ct), "the badge did not enter standby");
            await WaitForPresenceAsync(phone, anna.UserId, PresenceState.Unavailable, ct);
            await fleet.StopAsync();
        }

        await WaitForPresenceAsync(phone, anna.UserId, PresenceState.Offline, ct);
        Assert.Empty(hs.ServerErrors);
        folder.Passed();
    }

    private static async Task WaitForPresenceAsync(MatrixClient phone, string userId, PresenceState expected, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        PresenceState? seen;
        while ((seen = await phone.GetPresenceAsync(userId, ct)) != expected)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{userId} stayed {seen}, expected {expected}");
            await Task.Delay(200, ct);
        }
    }
}
