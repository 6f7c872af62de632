using System.Diagnostics;
using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.WebWalkie.Browser;

/// <summary>The page's buttons: push-to-talk (the big button, the space bar) and the channel button the channel list presses.</summary>
internal sealed class BrowserButtons : IButtons
{
    public bool Talk { get; set; }

    public bool Channel { get; set; }

    public bool IsDown(ButtonId button) => button == ButtonId.Talk ? Talk : Channel;
}

/// <summary>The browser's clocks: a monotonic stopwatch and the wall clock.</summary>
internal sealed class BrowserClock : IClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public long Milliseconds => _watch.ElapsedMilliseconds;

    public uint UnixSeconds => (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}

/// <summary>A browser has no battery to report and never sleeps (the badge options turn standby and pocket off).</summary>
internal sealed class BrowserPower : IPower
{
    public WakeCause WakeCause => WakeCause.Reset;

    public int BatteryMillivolts => 0;

    public int BatteryPercent => -1;

    public void SetStandby(bool on)
    {
    }

    public void EnterPocket(uint checkInSeconds)
    {
    }
}

/// <summary>The device id the gateway gave this browser, and its last <c>config</c> kept for the page's life.</summary>
internal sealed class BrowserSettings(string deviceId) : ISettingsStore
{
    private byte[] _config = [];

    public string BadgeId => deviceId;

    public string Firmware => "web-walkie/1";

    public int ReadConfig(byte[] buffer)
    {
        _config.CopyTo(buffer, 0);
        return _config.Length;
    }

    public void WriteConfig(byte[] buffer, int length) => _config = buffer.AsSpan(0, length).ToArray();
}

/// <summary>The LED becomes the page's state colour; tones are played by the audio context.</summary>
internal sealed class BrowserIndicator(Action<LedState> show) : IIndicator
{
    public void ShowLed(LedState state) => show(state);

    public void PlayTone(Tone tone) => JsWalkie.Tone(tone switch
    {
        Tone.Talk => 0,
        Tone.Busy => 1,
        Tone.Preempted or Tone.Collision or Tone.ConnectionLost => 2,
        _ => 3,
    });
}
