using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Simulation;
using WalkieTalkie.Badge.Simulation.Tests.Support;
using WalkieTalkie.Bridge.Events;
using WalkieTalkie.EndToEnd.Tests.Support;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage.Bridge;
using WalkieTalkie.Interop;

namespace WalkieTalkie.EndToEnd.Tests;

/// <summary>
/// A phone's voice message that arrives while the bridge's database is away is not lost: the badges' devices do not
/// commit the sync answer that brought it (the incoming table refused it), ask for it again with the old token until
/// the table takes it, and the message then plays once on each badge. Before, the device had committed its token
/// already and the bridge logged the message "could not be stored and is lost".
/// </summary>
public class IncomingStorageOutageTests(ITestOutputHelper output)
{
    private const int Rate = 8000;

    [Fact]
    public async Task A_voice_message_that_arrives_while_the_database_is_away_is_stored_once_it_is_back_and_plays_once()
    {
        Assert.True(Speech.IsInstalled, "espeak-ng is needed (scripts/deps/apt-packages)");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = timeout.Token;
        using var folder = TestFolder.Create("wt-e2e-incoming-outage-", output);
        var lines = new LogLines();
        using var loggers = TestLoggers.Create(output, lines);

        // The voice message as a phone records it: speech at 48 kHz, Ogg Opus by opusenc.
        var spoken = Speech.Say("Come home, dinner is ready.", folder.File("spoken.wav"));
        var ogg = Phone.RecordVoiceMessage(spoken, folder.File("voice.ogg"));

        await using var hs = await WalkieTalkie.TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        await using var dadPhone = await JsPeer.StartAsync("dad", output.WriteLine, cancellationToken: ct);
        var dad = await dadPhone.SignUpCrossSignedAsync(hs.BaseUrl, "dad", ct);

        // Two badges on the channel, so both badge devices meet the outage with the same event.
        await using var gateway = await BridgedGateway.CreateAsync(folder, hs.BaseUrl,
            new MatrixBridgeOptions { SyncTimeout = TimeSpan.FromSeconds(5) }, loggers, ct);
        string[] badgeIds = ["kid", "sis"];
        gateway.AddChannel(1, "playground", Rate, 30);
        var secrets = badgeIds.ToDictionary(id => id, id => gateway.AddBadge(id, id, channel: 1));
        var badgeUsers = new List<string>();
        foreach (var id in badgeIds)
        {
            badgeUsers.Add((await gateway.LinkBadgeAsync(id, ct)).UserId);
        }

        var roomId = await dadPhone.CreateRoomAsync("Playground", badgeUsers, encrypted: true, cancellationToken: ct);
        gateway.SaveChannelLink("playground", roomId, dad.UserId);
        FlakyIncomingStore? flaky = null;
        gateway.WrapStores = stores => stores with { Incoming = flaky = new FlakyIncomingStore(stores.Incoming) };

        await gateway.StartAsync(ct);
        var (port, bridge) = (gateway.Port, gateway.Bridge!);
        Assert.NotNull(flaky);
        var table = gateway.Gateway!.Services.GetRequiredService<BridgeStores>().Incoming;
        await dadPhone.WaitForMembersAsync(roomId, [dad.UserId, .. badgeUsers], cancellationToken: ct);

        var tunables = VirtualBadgeSettings.DefaultTunables();
        tunables.JitterSlots = 32;
        tunables.JitterPrefill = Rate / (2 * 321) + 1;
        tunables.InboxSlots = 64;
        await using var fleet = new VirtualBadgeFleet { Log = (_, line) => output.WriteLine(line) };
        foreach (var id in badgeIds)
        {
            fleet.Add(new VirtualBadgeSettings
            {
                Id = id, Port = port, Password = secrets[id], OutputWav = folder.File($"{id}-heard.wav"), Tunables = tunables,
                SpeakerQueueMilliseconds = 200, Channels = [new VirtualChannel(1, Rate)],
            });
        }

        fleet.Start();
        Assert.True(await fleet.WaitUntilAsync(f => f.Badges.All(b => b.Mode == BadgeMode.Idle), TimeSpan.FromSeconds(15), ct), "the badges did not connect");

        // Dad's phone may talk in the room (permit and accept for his device).
        var stateKey = $"device/{dad.UserId}/{dad.DeviceId}";
        await dadPhone.SendStateEventAsync(roomId, WalkieEventTypes.Permit, stateKey,
            new JsonObject { ["user_id"] = dad.UserId, ["device_id"] = dad.DeviceId, ["receive"] = true, ["send"] = true }, ct);
        await dadPhone.SendStateEventAsync(roomId, WalkieEventTypes.Accept, stateKey,
            new JsonObject { ["user_id"] = dad.UserId, ["device_id"] = dad.DeviceId, ["receive"] = true }, ct);
        var dadsPhone = new DeviceKey(dad.UserId, dad.DeviceId);
        await Until(() => bridge.Bridges["playground"].Room.RightsAt(dadsPhone, DateTimeOffset.UtcNow).MaySend, TimeSpan.FromSeconds(30),
            "the bridge to learn that dad's phone may send", ct);

        // The database goes away; dad's voice message arrives meanwhile. Each badge device's sync answer is refused
        // by the table, and asked for again (the same event offered again) after the sync loop's backoff.
        flaky!.Away = true;
        var voice = await dadPhone.SendVoiceMessageAsync(roomId, ogg, cancellationToken: ct);
        await Until(() => flaky.RefusedAdds.Count(id => id == voice.EventId) >= 4, TimeSpan.FromSeconds(60),
            "the badge devices to offer the message again while the database is away", ct);
        Assert.Empty(lines.With("is lost"));
        // Logged once per outage and device, not per retry.
        Assert.InRange(lines.With("Sync handler failed for batch").Count, 1, badgeIds.Length);
        Assert.All(fleet.Badges, b => Assert.Empty(b.Bursts));

        // The database is back: the next try stores the message, and it plays once on each badge.
        flaky.Away = false;
        await Until(() => table.OutcomeOf(voice.EventId) is not null, TimeSpan.FromSeconds(60), "dad's voice message to be handled", ct);
        Assert.Equal("played", table.OutcomeOf(voice.EventId));
        Assert.True(await fleet.WaitUntilAsync(f => f.Badges.All(b => b.Bursts.Any(x => x.Complete) && b.Mode == BadgeMode.Idle),
            TimeSpan.FromSeconds(30), ct), "the badges did not play the voice message");
        await Until(() => lines.With("Sync handler succeeded again").Count >= 1, TimeSpan.FromSeconds(30), "the sync loops to say they recovered", ct);
        // Both devices delivered the event once the table took it again; had it been queued twice, the second copy
        // would be playing within this.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        Assert.All(fleet.Badges, b => Assert.Single(b.Bursts));
        Assert.Empty(table.Pending(long.MaxValue));
        Assert.Empty(lines.With("is lost"));
        await fleet.StopAsync();
        Assert.Empty(hs.ServerErrors);
        folder.Passed();
    }

    private static async Task Until(Func<bool> condition, TimeSpan limit, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {limit.TotalSeconds:0} s waiting for {what}");
            await Task.Delay(100, ct);
        }
    }
}
