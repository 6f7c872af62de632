using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.MatrixBridge.Adapters;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Matrix.Client.Presence;

namespace WalkieTalkie.Gateway.MatrixBridge;

// A linked badge's state becomes its account's Matrix presence. The engine reports presence often (battery, signal,
// last seen): only a change of the Matrix state is sent.
public sealed partial class MatrixBridgeHost
{
    private readonly Channel<(string BadgeId, PresenceState State)> _presenceChanges =
        Channel.CreateUnbounded<(string, PresenceState)>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _presenceLoop;

    void IGatewayObserver.OnPresenceChanged(PresenceRecord presence) =>
        _presenceChanges.Writer.TryWrite((presence.BadgeId, BadgePresenceMapping.Of(presence.State)));

    private void StartPresence() =>
        _presenceLoop = Task.Run(() => PresenceLoopAsync(_stop.Token), CancellationToken.None);

    private async Task PresenceLoopAsync(CancellationToken ct)
    {
        var sent = new Dictionary<string, PresenceState>(StringComparer.Ordinal);
        try
        {
            await foreach (var (badgeId, state) in _presenceChanges.Reader.ReadAllAsync(ct))
            {
                if (sent.TryGetValue(badgeId, out var last) && last == state)
                {
                    continue;
                }

                var link = _stores.Links.Badges().FirstOrDefault(b => b.BadgeId == badgeId);
                if (link is null || Devices.Find(link.UserId) is not { } device)
                {
                    continue;
                }

                try
                {
                    await device.Client.SetPresenceAsync(state, ct);
                    sent[badgeId] = state;
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    _logger.LogWarning("Presence {State} of badge {Badge} not set in Matrix: {Error}", state, badgeId, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task StopPresenceAsync()
    {
        _presenceChanges.Writer.TryComplete();
        if (_presenceLoop is not null)
        {
            try
            {
                await _presenceLoop;
            }
            catch (Exception e)
            {
                _logger.LogDebug(e, "Presence loop ended with an error");
            }
        }
    }
}
