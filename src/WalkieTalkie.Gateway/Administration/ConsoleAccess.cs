using System.Security.Claims;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Web.Accounts;
using WalkieTalkie.Gateway.Web.Devices;
using WalkieTalkie.Gateway.Web.Sessions;

namespace WalkieTalkie.Gateway.Administration;

/// <summary>
/// What a signed-in user may see in the console, the one place that says it: an admin sees every channel and device; a
/// member sees its own devices (a gateway account's web device; every web device of a Matrix user) and the channels
/// one of them belongs to (a membership or a permit there). Changes are for admins only (the console's policy).
/// </summary>
public sealed class ConsoleAccess(IWebDeviceStore webDevices, CurrentRegistry current)
{
    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(WebRoles.Admin);

    /// <summary>The registry ids of the user's own devices.</summary>
    public IReadOnlySet<string> OwnDevices(ClaimsPrincipal user)
    {
        var devices = new HashSet<string>(StringComparer.Ordinal);
        if (WebClaims.DeviceOf(user) is { } device)
        {
            devices.Add(device);
        }

        if (user.FindFirstValue(WebClaims.Kind) == WebDeviceKind.Matrix && user.Identity?.Name is { } matrixUser)
        {
            devices.UnionWith(webDevices.List().Where(d => d.Kind == WebDeviceKind.Matrix && d.Owner == matrixUser).Select(d => d.Id));
        }

        return devices;
    }

    /// <summary>The channels the user may see in <paramref name="registry"/>.</summary>
    public IReadOnlySet<byte> VisibleChannels(ClaimsPrincipal user, RegistrySnapshot registry)
    {
        if (IsAdmin(user))
        {
            return registry.Channels.Select(c => c.Number).ToHashSet();
        }

        var own = OwnDevices(user);
        return own.SelectMany(registry.ChannelsOf).Concat(registry.Permits.Where(p => own.Contains(p.BadgeId)).Select(p => p.Channel)).ToHashSet();
    }

    /// <summary>Whether the user may see the device <paramref name="badgeId"/>: an admin any, a member its own.</summary>
    public bool MaySeeDevice(ClaimsPrincipal user, string badgeId) => IsAdmin(user) || OwnDevices(user).Contains(badgeId);

    /// <summary>The channels the user may see in the running gateway's registry, or null for every channel (an admin).</summary>
    public IReadOnlySet<byte>? VisibleChannelsNow(ClaimsPrincipal user) => IsAdmin(user) ? null : VisibleChannels(user, current.Snapshot);

    public static bool Includes(IReadOnlySet<byte>? visible, byte channel) => visible is null || visible.Contains(channel);
}
