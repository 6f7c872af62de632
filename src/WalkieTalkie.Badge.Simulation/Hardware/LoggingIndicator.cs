using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Badge.Simulation.Hardware;

/// <summary>Tones and the LED, written to the badge's log.</summary>
internal sealed class LoggingIndicator(Action<string> log) : IIndicator
{
    public LedState Led { get; private set; }

    public void ShowLed(LedState state)
    {
        if (state != Led)
        {
            Led = state;
            log($"led {state}");
        }
    }

    public void PlayTone(Tone tone) => log($"tone {tone}");
}
