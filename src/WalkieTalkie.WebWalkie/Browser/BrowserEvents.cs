using System.Runtime.InteropServices.JavaScript;
using WalkieTalkie.WebWalkie.Walkie;

namespace WalkieTalkie.WebWalkie.Browser;

/// <summary>What the JavaScript side hands to C# ([JSExport]): socket events and messages, captured samples, ticks, keys.</summary>
public static partial class BrowserEvents
{
    /// <summary>The badge running in this page (one at a time).</summary>
    internal static WebBadge? Badge { get; set; }

    [JSExport]
    public static void OnSocketOpen() => Badge?.Transport.OnOpen();

    [JSExport]
    public static void OnSocketClosed() => Badge?.Transport.OnClosed();

    [JSExport]
    public static void OnSocketMessage([JSMarshalAs<JSType.Array<JSType.Number>>] byte[] data)
    {
        Badge?.Transport.OnMessage(data);
        Badge?.Tick();
    }

    [JSExport]
    public static void OnCaptured([JSMarshalAs<JSType.Array<JSType.Number>>] byte[] samples, double at) => Badge?.Capture.OnCaptured(samples, at);

    [JSExport]
    public static void OnTick() => Badge?.Tick();

    [JSExport]
    public static void OnKey(bool down) => Badge?.SetTalk(down);
}
