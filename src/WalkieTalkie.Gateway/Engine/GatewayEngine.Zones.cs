using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Gateway.Engine;

// Where a badge is: the access point it reports, kept only where the site turned zones on (privacy). The zone is
// looked up when read (walkie status), so the engine only records the access point.
public sealed partial class GatewayEngine
{
    private void ReportLocation(string badgeId, AccessPoint report)
    {
        if (_options.Zones)
        {
            _storage.SetLocation(badgeId, BssidFormat.Format(report.Bssid), report.Rssi, Now.ToUnixTimeMilliseconds());
        }
    }

    /// <summary>At start: with zones off, nothing of where badges were is kept.</summary>
    private void ForgetLocationsUnlessZonesOn()
    {
        if (!_options.Zones)
        {
            _storage.ClearLocations();
        }
    }
}
