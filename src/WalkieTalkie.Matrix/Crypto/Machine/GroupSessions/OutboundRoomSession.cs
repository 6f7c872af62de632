using WalkieTalkie.Matrix.Crypto.Megolm;

namespace WalkieTalkie.Matrix.Crypto.Machine.GroupSessions;

/// <summary>Our current Megolm session in a room and who has (or is getting) its key.</summary>
internal sealed class OutboundRoomSession(string roomId, OutboundGroupSession session, bool sharedHistory, MegolmRotationPolicy rotation)
{
    public string RoomId { get; } = roomId;
    public OutboundGroupSession Session { get; } = session;
    public bool SharedHistory { get; } = sharedHistory;
    public MegolmRotationPolicy Rotation { get; set; } = rotation;
    /// <summary>Devices whose m.room_key was sent (the request reported as sent).</summary>
    public HashSet<(string UserId, string DeviceId)> SharedWith { get; } = new();
    /// <summary>Devices told <c>m.room_key.withheld</c> for this session.</summary>
    public HashSet<(string UserId, string DeviceId)> WithheldFrom { get; } = new();
    /// <summary>To-device requests in flight, by request id, and the devices each carries the key to.</summary>
    public Dictionary<string, List<(string UserId, string DeviceId)>> PendingShares { get; } = new();
}
