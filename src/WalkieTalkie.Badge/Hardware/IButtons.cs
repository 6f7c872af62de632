namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>
    /// The buttons' levels, read by the badge on every step. Presses, releases and long presses are derived from
    /// these levels in portable code (<see cref="Input.ButtonTracker"/>), so the hardware side is one pin read.
    /// </summary>
    public interface IButtons
    {
        /// <summary>True while <paramref name="button"/> is held down.</summary>
        bool IsDown(ButtonId button);
    }
}
