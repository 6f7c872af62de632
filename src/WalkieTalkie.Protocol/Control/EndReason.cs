namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Why a burst ended, or why the gateway took the floor from its holder.</summary>
    public enum EndReason : byte
    {
        /// <summary>The talker let go of the button (or a replay reached its end).</summary>
        Released = 1,

        /// <summary>The channel's maximum talk time ran out.</summary>
        MaxTalkTime = 2,

        /// <summary>The holder's frames stopped for longer than the lease (crash, out of Wi-Fi).</summary>
        LeaseLost = 3,

        /// <summary>A priority talker took the floor.</summary>
        Preempted = 4,

        /// <summary>Another gateway's claim on the same room won the tie-break.</summary>
        Collision = 5,

        /// <summary>The talker's permit was revoked or expired.</summary>
        PermitEnded = 6,
    }
}
