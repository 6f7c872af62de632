using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Zones;

public sealed class ZoneStoreTests
{
    [Fact]
    public void The_store_refuses_bad_names_bad_bssids_and_an_access_point_of_another_zone()
    {
        using var temp = new TempDatabase();
        var zones = new SqliteZoneStore(temp.Database);
        zones.Add("playground", ["aa:bb:cc:00:00:01"]);

        Assert.Throws<RegistryException>(() => zones.Add("", ["aa:bb:cc:00:00:02"]));
        Assert.Throws<RegistryException>(() => zones.Add("hall", ["aa:bb:cc:00:00"]));
        Assert.Throws<RegistryException>(() => zones.Add("hall", []));
        Assert.Throws<RegistryException>(() => zones.Add("hall", ["aa:bb:cc:00:00:01"]));
        Assert.Throws<RegistryException>(() => zones.Remove("hall"));

        zones.Add("playground", ["aa:bb:cc:00:00:01", "aa-bb-cc-00-00-03"]);
        Assert.Equal(["aa:bb:cc:00:00:01", "aa:bb:cc:00:00:03"], zones.List().Select(z => z.Bssid));
        zones.Remove("playground");
        Assert.Empty(zones.List());
    }
}
