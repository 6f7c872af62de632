using WalkieTalkie.Bridge.Ports;

namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// The other sites' bursts this gateway played live (the engine notes each remote burst it took the floor for), so that
/// the bridge does not play their voice messages again when they arrive from the room. The newest
/// <see cref="Capacity"/> are kept: a voice message arrives seconds after its burst. Thread-safe.
/// </summary>
public sealed class HeardLive : IHeardLive
{
    public const int Capacity = 4096;

    private readonly HashSet<(string, uint)> _heard = [];
    private readonly Queue<(string, uint)> _order = new();

    public void Note(string gatewayId, uint burstId)
    {
        lock (_heard)
        {
            if (!_heard.Add((gatewayId, burstId)))
            {
                return;
            }

            _order.Enqueue((gatewayId, burstId));
            if (_order.Count > Capacity)
            {
                _heard.Remove(_order.Dequeue());
            }
        }
    }

    public bool WasHeardLive(string gatewayId, uint burstId)
    {
        lock (_heard)
        {
            return _heard.Contains((gatewayId, burstId));
        }
    }
}
