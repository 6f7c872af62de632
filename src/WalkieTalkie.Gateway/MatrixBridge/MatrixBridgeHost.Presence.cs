using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Matrix.Client.Presence;

namespace WalkieTalkie.Gateway.MatrixBridge;

// A linked badge's state becomes its account's Matrix presence. The engine reports presence often (battery, signal,
// last seen): only a change of the Matrix state is sent.
public sealed partial class MatrixBridgeHost
{
    private readonly Dictionary<string, PresenceState> _presenceSent = new(StringComparer.Ordinal);
    private EngineReportQueue<(string BadgeId, PresenceState State)>? _presenceReports;

    void IGatewayObserver.OnPresenceChanged(PresenceRecord presence)
    {
        if (!ReportsHandedOver)
        {
            _presenceReports?.Post((presence.BadgeId, BadgePresenceMapping.Of(presence.State)));
        }
    }

    private void StartPresence()
    {
        _presenceReports = new EngineReportQueue<(string, PresenceState)>("Matrix presence", _logger);
        _presenceReports.Start((report, ct) => SetPresenceAsync(report.BadgeId, report.State, ct), _stop.Token);
    }

    private async Task SetPresenceAsync(string badgeId, PresenceState state, CancellationToken ct)
    {
        if (_presenceSent.TryGetValue(badgeId, out var last) && last == state)
        {
            return;
        }

        var link = _stores.Links.Badges().FirstOrDefault(b => b.BadgeId == badgeId);
        if (link is null || Devices.Find(link.UserId) is not { } device)
        {
            return;
        }

        await device.Client.SetPresenceAsync(state, ct);
        _presenceSent[badgeId] = state;
    }
}
