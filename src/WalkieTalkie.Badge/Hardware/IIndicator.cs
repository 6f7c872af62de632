namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>The LED and the signal tones. Both calls return at once: a tone plays in the background.</summary>
    public interface IIndicator
    {
        void ShowLed(LedState state);

        void PlayTone(Tone tone);
    }
}
