using System.Text.Json.Nodes;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.EndToEnd.Tests.Support;
using WalkieTalkie.Matrix.Client;

namespace WalkieTalkie.EndToEnd.Tests;

/// <summary>
/// Issue 13 item 7: a badge whose battery runs low tells the gateway, which posts one notice per discharge from the
/// badge's account in the room of its linked channel, where the channel's admins see it.
/// </summary>
public class LowBatteryNoticeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_draining_badge_posts_one_low_battery_notice_in_its_channels_room()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;
        using var folder = TestFolder.Create("wt-e2e-battery-", output);
        using var loggers = TestLoggers.Create(output);

        await using var setUp = await OneLinkedBadge.CreateAsync(folder, loggers, ct);
        var (hs, gateway, secret, anna) = (setUp.Homeserver, setUp.Gateway, setUp.Secret, setUp.Anna);

        using var dad = new MatrixClient(hs.BaseUrl);
        await dad.RegisterAsync("dad", "dad-password", cancellationToken: ct);
        var roomId = await dad.CreateRoomAsync(new JsonObject { ["name"] = "Yard", ["invite"] = new JsonArray(anna.UserId) }, ct);
        gateway.SaveChannelLink("yard", roomId, granter: "");
        await gateway.StartAsync(ct);

        var tunables = VirtualBadgeSettings.DefaultTunables();
        tunables.BatteryCheckMilliseconds = 300;
        await using var fleet = new VirtualBadgeFleet { Log = (_, line) => output.WriteLine(line) };
        fleet.Add(new VirtualBadgeSettings { Id = "anna", Port = gateway.Port, Password = secret, Tunables = tunables, Channels = [new VirtualChannel(1, 8000)] });
        fleet.Start();
        var badge = fleet.Badges[0];
        Assert.True(await fleet.WaitUntilAsync(_ => badge.Mode == BadgeMode.Idle, TimeSpan.FromSeconds(15), ct), "the badge did not connect");

        badge.BatteryPercent = 12;
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (Notices(hs, roomId, anna.UserId).Count == 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "no low-battery notice in the room");
            await Task.Delay(200, ct);
        }

        // Further down in the same discharge: no second notice.
        badge.BatteryPercent = 9;
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var notice = Assert.Single(Notices(hs, roomId, anna.UserId));
        Assert.Equal("Battery low on Anna's badge: 12 %", notice);
        await fleet.StopAsync();
        Assert.Empty(hs.ServerErrors);
        folder.Passed();
    }

    private static List<string> Notices(WalkieTalkie.TestHomeserver.TestHomeserver hs, string roomId, string sender) =>
        hs.RoomEvents(roomId)
            .Where(e => e["type"]?.GetValue<string>() == "m.room.message" && e["sender"]?.GetValue<string>() == sender
                && e["content"]?["msgtype"]?.GetValue<string>() == "m.notice")
            .Select(e => e["content"]!["body"]!.GetValue<string>())
            .ToList();
}
