namespace WalkieTalkie.Gateway.Sites.Discovery;

/// <summary>
/// What discovery knows now: the rooms this gateway serves and the gateways announced in each. Read by the link (which
/// peers to reach, whom to accept), written by <see cref="SiteDiscovery"/>. Thread-safe.
/// </summary>
public sealed class RoomGateways
{
    private readonly object _gate = new();
    private IReadOnlyList<SiteRoom> _rooms = [];
    private Dictionary<string, IReadOnlyList<AnnouncedGateway>> _announced = new(StringComparer.Ordinal);

    /// <summary>Raised (on discovery's task) after rooms or announcements changed.</summary>
    public event Action? Changed;

    public IReadOnlyList<SiteRoom> Rooms
    {
        get
        {
            lock (_gate)
            {
                return _rooms;
            }
        }
    }

    /// <summary>The room linked here, or null when this gateway does not serve it.</summary>
    public SiteRoom? Room(string roomId) => Rooms.FirstOrDefault(r => r.RoomId == roomId);

    /// <summary>The room linked to a channel here.</summary>
    public SiteRoom? RoomOf(byte channel) => Rooms.FirstOrDefault(r => r.Channel == channel);

    /// <summary>Gateway <paramref name="gatewayId"/>'s announcement in the room, as last read.</summary>
    public AnnouncedGateway? Find(string roomId, string gatewayId)
    {
        lock (_gate)
        {
            return _announced.GetValueOrDefault(roomId)?.FirstOrDefault(a => a.Announcement.GatewayId == gatewayId);
        }
    }

    /// <summary>True when another gateway than <paramref name="selfId"/> is announced in a room served here: its floor is shared.</summary>
    public bool IsShared(string roomId, string selfId)
    {
        lock (_gate)
        {
            return _announced.GetValueOrDefault(roomId)?.Any(a => a.Announcement.GatewayId != selfId) == true;
        }
    }

    /// <summary>The other gateways announced in rooms served here, each with the rooms shared with it.</summary>
    public IReadOnlyList<SitePeer> Peers(string selfId)
    {
        lock (_gate)
        {
            return _rooms
                .SelectMany(room => _announced.GetValueOrDefault(room.RoomId) ?? [])
                .Where(a => a.Announcement.GatewayId != selfId)
                .GroupBy(a => a.Announcement.GatewayId, StringComparer.Ordinal)
                .Select(g => new SitePeer(g.Key, g.First().Announcement, g.Select(a => a.RoomId).Distinct().Order(StringComparer.Ordinal).ToArray()))
                .ToArray();
        }
    }

    internal void SetRooms(IReadOnlyList<SiteRoom> rooms)
    {
        lock (_gate)
        {
            _rooms = rooms;
            _announced = _announced.Where(kv => rooms.Any(r => r.RoomId == kv.Key)).ToDictionary(StringComparer.Ordinal);
        }
    }

    internal void SetAnnounced(string roomId, IReadOnlyList<AnnouncedGateway> announced)
    {
        lock (_gate)
        {
            _announced[roomId] = announced;
        }
    }

    internal void RaiseChanged() => Changed?.Invoke();
}

/// <summary>Another gateway: where to reach it (its announcement in one of the rooms) and the rooms it shares with this one.</summary>
public sealed record SitePeer(string GatewayId, GatewayAnnouncement Announcement, IReadOnlyList<string> RoomIds);
