namespace WalkieTalkie.Badge.Machine
{
    /// <summary>The states of the badge (see docs/badge.md for the diagram).</summary>
    public enum BadgeMode : byte
    {
        /// <summary>Booting, or the connection is down: connecting to the broker.</summary>
        Connecting = 0,

        /// <summary>Connected, audio path powered, nothing playing.</summary>
        Idle = 1,

        /// <summary>Push-to-talk is held and <c>floor-request</c> sent: waiting for the answer.</summary>
        Requesting = 2,

        /// <summary>The floor is ours: capturing, encoding and sending frames.</summary>
        Talking = 3,

        /// <summary>The floor was refused or no answer came: busy tone until push-to-talk is released.</summary>
        Denied = 4,

        /// <summary>Playing a burst through the jitter buffer.</summary>
        Receiving = 5,

        /// <summary>The floor was taken away while talking: tone until push-to-talk is released.</summary>
        Revoked = 6,

        /// <summary>Audio path off, Wi-Fi and MQTT kept in modem sleep: a <c>wake</c> or a frame brings it back.</summary>
        Standby = 7,

        /// <summary>Deep sleep until the check-in timer or push-to-talk (a simulation keeps stepping in this mode).</summary>
        Pocket = 8,
    }
}
