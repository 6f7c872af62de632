using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Tests.Zones;

/// <summary>Where a badge is: the access point it reports, mapped to a zone, kept only where the site turned zones on.</summary>
public abstract class ZoneScenarios
{
    protected abstract BrokerKind Broker { get; }

    private static AccessPoint At(string bssid, sbyte rssi)
    {
        var report = new AccessPoint { Rssi = rssi };
        Assert.True(BssidFormat.TryParse(bssid, report.Bssid));
        return report;
    }

    [Fact]
    public async Task With_zones_on_a_badges_access_point_shows_as_its_zone_and_a_move_follows()
    {
        await using var g = TestGateway.Create();
        g.Options.Zones = true;
        g.AddBadge("anna");
        g.AddChannel(1, 8000, "anna");
        var zones = new SqliteZoneStore(g.Database);
        zones.Add("playground", ["AA:BB:CC:00:00:01", "aa:bb:cc:00:00:02"]);
        zones.Add("hall", ["aa:bb:cc:00:00:10"]);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");

        await anna.SendAsync(At("aa:bb:cc:00:00:02", -58));
        Assert.True(await Eventually.TrueAsync(() => zones.Locations().SingleOrDefault() is { Zone: "playground", Rssi: -58 }));

        await anna.SendAsync(At("aa:bb:cc:00:00:10", -70));
        Assert.True(await Eventually.TrueAsync(() => zones.Locations().SingleOrDefault() is { Zone: "hall", Bssid: "aa:bb:cc:00:00:10" }));

        await anna.SendAsync(At("aa:bb:cc:00:00:99", -40));
        Assert.True(await Eventually.TrueAsync(() => zones.Locations().SingleOrDefault() is { Zone: "", Bssid: "aa:bb:cc:00:00:99" }));
    }

    [Fact]
    public async Task With_zones_off_nothing_of_where_a_badge_is_is_kept_and_what_was_kept_is_deleted_at_start()
    {
        await using var g = TestGateway.Create();
        g.AddBadge("anna");
        g.AddChannel(1, 8000, "anna");
        var zones = new SqliteZoneStore(g.Database);
        zones.Add("playground", ["aa:bb:cc:00:00:01"]);
        zones.SetLocation("anna", "aa:bb:cc:00:00:01", -50, 1);
        await g.StartAsync(Broker);
        var anna = await g.ConnectAsync("anna");

        await anna.SendAsync(At("aa:bb:cc:00:00:01", -58));
        Assert.True(await Eventually.TrueAsync(() => zones.Locations().Count == 0));
        await Task.Delay(300);
        Assert.Empty(zones.Locations());
        Assert.False(g.Log.Contains("malformed", "anna"));
    }
}

public sealed class EmbeddedBrokerZones : ZoneScenarios
{
    protected override BrokerKind Broker => BrokerKind.Embedded;
}

public sealed class MosquittoZones : ZoneScenarios
{
    protected override BrokerKind Broker => BrokerKind.Mosquitto;
}
