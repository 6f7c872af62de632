using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

public class AccessPointTests
{
    private static readonly byte[] Hall = [0xaa, 0xbb, 0xcc, 0x00, 0x11, 0x22];
    private static readonly byte[] Playground = [0xaa, 0xbb, 0xcc, 0x00, 0x11, 0x33];

    [Fact]
    public void The_badge_reports_its_access_point_once_known_again_only_when_it_changes_and_after_a_reconnect()
    {
        var rig = new BadgeRig().Started();
        rig.Run(100);
        Assert.Empty(rig.Transport.Control<AccessPoint>());

        rig.AccessPoint.Bssid = Hall;
        rig.Run(100);
        var first = Assert.Single(rig.Transport.Control<AccessPoint>());
        Assert.Equal(Hall, first.Bssid);
        Assert.True(first.Rssi <= 0);

        rig.Run(1_000);
        Assert.Single(rig.Transport.Control<AccessPoint>());

        rig.AccessPoint.Bssid = Playground;
        rig.Run(100);
        Assert.Equal(Playground, rig.Transport.Control<AccessPoint>().Last().Bssid);
        Assert.Equal(2, rig.Transport.Control<AccessPoint>().Count);

        rig.Transport.IsConnected = false;
        rig.Run(5_000);
        Assert.Equal(3, rig.Transport.Control<AccessPoint>().Count);
        Assert.Equal(Playground, rig.Transport.Control<AccessPoint>().Last().Bssid);
    }
}
