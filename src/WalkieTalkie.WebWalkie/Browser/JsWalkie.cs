using System.Runtime.InteropServices.JavaScript;

namespace WalkieTalkie.WebWalkie.Browser;

/// <summary>The JavaScript side (wwwroot/js/walkie.js): socket, audio context and worklets, tones, wake lock, storage.</summary>
internal static partial class JsWalkie
{
    public const string Module = "walkie";

    public static Task ImportAsync() => JSHost.ImportAsync(Module, "../js/walkie.js");

    [JSImport("init", Module)]
    public static partial Task InitAsync();

    [JSImport("openSocket", Module)]
    public static partial void OpenSocket(string url);

    [JSImport("sendSocket", Module)]
    public static partial bool SendSocket([JSMarshalAs<JSType.Array<JSType.Number>>] byte[] bytes);

    [JSImport("socketOpen", Module)]
    public static partial bool SocketOpen();

    [JSImport("closeSocket", Module)]
    public static partial void CloseSocket();

    [JSImport("startAudio", Module)]
    public static partial Task<bool> StartAudioAsync();

    [JSImport("audioState", Module)]
    public static partial string AudioState();

    [JSImport("captureStart", Module)]
    public static partial Task CaptureStartAsync(int rate);

    [JSImport("captureStop", Module)]
    public static partial void CaptureStop();

    [JSImport("playbackStart", Module)]
    public static partial void PlaybackStart(int rate);

    [JSImport("playbackWrite", Module)]
    public static partial void PlaybackWrite([JSMarshalAs<JSType.Array<JSType.Number>>] byte[] bytes);

    [JSImport("playbackQueued", Module)]
    public static partial int PlaybackQueued();

    [JSImport("tapBlock", Module)]
    public static partial void TapBlock(string kind, double burst, int sequence, int block);

    [JSImport("tapSpoken", Module)]
    public static partial void TapSpoken(int sequence, int block, double at);

    [JSImport("tone", Module)]
    public static partial void Tone(int kind);

    [JSImport("storageGet", Module)]
    public static partial string? StorageGet(string key);

    [JSImport("storageSet", Module)]
    public static partial void StorageSet(string key, string? value);

    [JSImport("registerServiceWorker", Module)]
    public static partial void RegisterServiceWorker();

    [JSImport("isInFrame", Module)]
    public static partial bool IsInFrame();
}
