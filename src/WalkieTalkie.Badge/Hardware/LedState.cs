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

        // Numbered apart from the values the emergency work adds, so both can land.

        /// <summary>Idle, but quiet hours or do-not-disturb hold bursts; none waits.</summary>
        Quiet = 20,

        /// <summary>Idle and quiet, with bursts waiting for the quiet to end.</summary>
        QuietWaiting = 21,

        /// <summary>This badge's emergency (SOS) is open until it or an admin cancels it.</summary>
        Emergency = 22,
        /// <summary>Talking privately: only the channel's last talker hears it.</summary>
        PrivateTalking = 25,

        /// <summary>Playing a private reply meant for this badge alone.</summary>
        PrivateReceiving = 26,
    }
}
