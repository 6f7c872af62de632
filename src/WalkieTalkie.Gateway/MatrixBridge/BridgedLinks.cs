using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// What a running bridge was started from: the linked badges (account, device), the linked channels (room, granter)
/// and which linked badges are members of each. When it changes (<c>walkie badge link</c>, <c>walkie channel link</c>,
/// <c>walkie channel join</c> while the gateway runs), <see cref="Hosting.MatrixBridgeService"/> restarts the bridge.
/// </summary>
public sealed record BridgedLinks(string Description)
{
    /// <summary>Reads the links as they are now.</summary>
    public static BridgedLinks Read(IMatrixLinkStore links)
    {
        var badges = links.Badges().Select(b => $"badge {b.BadgeId} {b.UserId} {b.DeviceId}");
        var channels = links.Channels().Select(c =>
            $"channel {c.Channel} {c.RoomId} {c.GranterUserId} [{string.Join(' ', links.BadgesOf(c.Channel).Select(b => b.BadgeId))}]");
        return new BridgedLinks(string.Join('\n', badges.Concat(channels)));
    }
}
