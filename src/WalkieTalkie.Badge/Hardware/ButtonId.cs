namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>The badge's two buttons.</summary>
    public enum ButtonId : byte
    {
        /// <summary>Push-to-talk: held while talking; a press also wakes a sleeping badge.</summary>
        Talk = 0,

        /// <summary>The second button: a short press selects the next channel, a long press accepts a permit offer.</summary>
        Channel = 1,
    }
}
