using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Badge.Tests.Fakes;

public sealed class FakeButtons : IButtons
{
    public bool Talk { get; set; }

    public bool Channel { get; set; }

    public bool IsDown(ButtonId button) => button == ButtonId.Talk ? Talk : Channel;
}

public sealed class FakeIndicator : IIndicator
{
    public List<Tone> Tones { get; } = [];

    public LedState Led { get; private set; }

    public void ShowLed(LedState state) => Led = state;

    public void PlayTone(Tone tone) => Tones.Add(tone);
}

public sealed class FakePower : IPower
{
    public WakeCause WakeCause { get; set; } = WakeCause.Reset;

    public int BatteryMillivolts { get; set; } = 3900;

    public int BatteryPercent { get; set; } = 80;

    public bool InStandby { get; private set; }

    public List<uint> PocketSleeps { get; } = [];

    public void SetStandby(bool on) => InStandby = on;

    public void EnterPocket(uint checkInSeconds) => PocketSleeps.Add(checkInSeconds);
}

public sealed class FakeSettings : ISettingsStore
{
    public string BadgeId { get; set; } = "kid-1";

    public string Firmware { get; set; } = "test-1.0";

    public byte[]? CachedConfig { get; set; }

    public int ReadConfig(byte[] buffer)
    {
        if (CachedConfig is null)
        {
            return 0;
        }

        CachedConfig.CopyTo(buffer, 0);
        return CachedConfig.Length;
    }

    public void WriteConfig(byte[] buffer, int length) => CachedConfig = buffer.AsSpan(0, length).ToArray();
}
