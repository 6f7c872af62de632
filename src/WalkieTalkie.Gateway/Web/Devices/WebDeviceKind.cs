namespace WalkieTalkie.Gateway.Web.Devices;

/// <summary>How a web device's user proved who they are.</summary>
public static class WebDeviceKind
{
    /// <summary>A gateway-local web account (password, cookie session).</summary>
    public const string Local = "local";

    /// <summary>A Matrix user's device (the Element widget, or the standalone page signed in with Matrix), proved by an OpenID token.</summary>
    public const string Matrix = "matrix";
}
