namespace WalkieTalkie.Badge.Input
{
    /// <summary>What a button did since the last step.</summary>
    public enum ButtonEvent : byte
    {
        None = 0,

        /// <summary>Went down.</summary>
        Pressed = 1,

        /// <summary>Came up before the long-press time: a short press.</summary>
        Released = 2,

        /// <summary>Has been held for the long-press time (reported once, while still down).</summary>
        LongPress = 3,

        /// <summary>Came up after a long press.</summary>
        LongReleased = 4,
    }
}
