namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Why the gateway wakes a standby badge.</summary>
    public enum WakeReason : byte
    {
        /// <summary>A burst started on one of its channels: power up audio and play.</summary>
        Burst = 1,

        /// <summary>Recordings wait in its unplayed queue.</summary>
        Unplayed = 2,

        /// <summary>Its configuration changed: fetch it.</summary>
        Config = 3,

        /// <summary>A permit offer waits for the wearer's answer.</summary>
        Permit = 4,
    }
}
