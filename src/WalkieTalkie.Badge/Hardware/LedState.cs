namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>What the LED shows; the firmware maps each to a colour or blink pattern.</summary>
    public enum LedState : byte
    {
        Off = 0,
        Connecting = 1,
        Idle = 2,
        Requesting = 3,
        Talking = 4,
        Receiving = 5,
        Busy = 6,
        Offline = 7,
        Standby = 8,
        PermitOffer = 9,
    }
}
