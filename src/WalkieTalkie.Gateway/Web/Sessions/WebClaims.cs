using System.Security.Claims;

namespace WalkieTalkie.Gateway.Web.Sessions;

/// <summary>The claims a signed-in browser carries, whichever way it signed in.</summary>
public static class WebClaims
{
    /// <summary>The registry id of the browser's device.</summary>
    public const string Device = "walkie:device";

    /// <summary><c>local</c> or <c>matrix</c> (<see cref="Devices.WebDeviceKind"/>).</summary>
    public const string Kind = "walkie:kind";

    /// <summary>For a Matrix device: its Matrix device id.</summary>
    public const string MatrixDevice = "walkie:matrix-device";

    public static string? DeviceOf(ClaimsPrincipal user) => user.FindFirstValue(Device);
}
