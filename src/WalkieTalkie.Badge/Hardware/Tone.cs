namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>The short signals the badge plays to its wearer.</summary>
    public enum Tone : byte
    {
        /// <summary>The floor is granted: speak now.</summary>
        Talk = 1,

        /// <summary>The floor is taken, not permitted, or no answer came.</summary>
        Busy = 2,

        /// <summary>The floor was taken away: a priority talker, the maximum talk time, or a lost lease.</summary>
        Preempted = 3,

        /// <summary>Another gateway's claim on the same room won.</summary>
        Collision = 4,

        /// <summary>The battery is low.</summary>
        LowBattery = 5,

        /// <summary>A permit is offered: a long press on the second button accepts it.</summary>
        PermitOffer = 6,

        /// <summary>The connection to the gateway was lost.</summary>
        ConnectionLost = 7,

        /// <summary>The selected channel changed.</summary>
        ChannelChanged = 8,

        /// <summary>A burst played to its end ("roger beep"); each channel turns it on or off.</summary>
        EndOfBurst = 9,

        /// <summary>The floor is granted but nobody hears it now: every listener is asleep or away and gets it later.</summary>
        NobodyListening = 10,
        /// <summary>Do-not-disturb turned on (a long press on the second button).</summary>
        DoNotDisturbOn = 20,

        /// <summary>Do-not-disturb turned off.</summary>
        DoNotDisturbOff = 21,

        /// <summary>The wearer's SOS hold opened an emergency: the microphone is open now.</summary>
        EmergencyOpened = 22,

        /// <summary>Another badge on one of this badge's channels opened an emergency (the alarm every listener hears).</summary>
        EmergencyAlarm = 23,

        /// <summary>This badge's emergency was cancelled (by the same hold, or by an admin).</summary>
        EmergencyClosed = 24,
        /// <summary>A private reply is granted: speak now, only the last talker hears it.</summary>
        PrivateTalk = 25,

        /// <summary>A private reply to this badge alone begins.</summary>
        PrivateIncoming = 26,
    }
}
