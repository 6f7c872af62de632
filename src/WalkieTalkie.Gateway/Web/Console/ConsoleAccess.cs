using System.Security.Claims;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Web.Accounts;
using WalkieTalkie.Gateway.Web.Devices;
using WalkieTalkie.Gateway.Web.Sessions;

namespace WalkieTalkie.Gateway.Web.Console;

/// <summary>
/// Which channels a signed-in user sees in the console: an admin every channel; anyone else the channels one of its
/// devices belongs to (membership or a permit record): its own web device, and for a Matrix user every device of
/// that user. One rule for the overview, the recordings and the floor log.
/// </summary>
public sealed class ConsoleAccess(CurrentRegistry registry, IWebDeviceStore devices)
{
    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(WebRoles.Admin);

    /// <summary>The channels <paramref name="user"/> may see, or null for every channel (an admin).</summary>
    public IReadOnlySet<byte>? VisibleChannels(ClaimsPrincipal user)
    {
        if (IsAdmin(user))
        {
            return null;
        }

        var snapshot = registry.Snapshot;
        var owner = user.Identity?.Name;
        var own = devices.List().Where(d => owner is not null && d.Owner == owner).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        if (WebClaims.DeviceOf(user) is { } device)
        {
            own.Add(device);
        }

        return snapshot.Channels.Select(c => c.Number).Where(c => own.Any(d => snapshot.IsMember(d, c))).ToHashSet();
    }

    public static bool Includes(IReadOnlySet<byte>? visible, byte channel) => visible is null || visible.Contains(channel);
}
