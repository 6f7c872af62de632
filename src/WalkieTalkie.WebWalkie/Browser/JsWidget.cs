using System.Runtime.InteropServices.JavaScript;

namespace WalkieTalkie.WebWalkie.Browser;

/// <summary>The widget side of the Matrix widget API (wwwroot/js/widget.js over matrix-widget-api).</summary>
internal static partial class JsWidget
{
    public const string Module = "widget";

    public static Task ImportAsync() => JSHost.ImportAsync(Module, "../js/widget.js");

    /// <summary>The handshake, an OpenID token and always-on-screen: <c>{token, onScreen, capabilities}</c> as JSON.</summary>
    [JSImport("start", Module)]
    public static partial Task<string> StartAsync(string widgetId, string? parentUrl, string acceptKey);

    [JSImport("sendState", Module)]
    public static partial Task<string> SendStateAsync(string type, string stateKey, string contentJson);

    /// <summary>The room's accept, permit and power-level events the client pushed so far, as a JSON array.</summary>
    [JSImport("roomState", Module)]
    public static partial string RoomState();

    [JSImport("onStateChanged", Module)]
    public static partial void OnStateChanged([JSMarshalAs<JSType.Function>] Action callback);
}
