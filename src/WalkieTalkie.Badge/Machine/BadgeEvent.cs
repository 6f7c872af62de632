namespace WalkieTalkie.Badge.Machine
{
    /// <summary>Things a badge reports to its <see cref="IBadgeObserver"/>; the meaning of the value is given per event.</summary>
    public enum BadgeEvent : byte
    {
        /// <summary>Connected to the broker (value: the wake cause of this start).</summary>
        Connected = 1,

        /// <summary>The connection dropped (value: the mode it dropped in).</summary>
        ConnectionLost = 2,

        /// <summary><c>floor-request</c> sent (value: 1 for an emergency request).</summary>
        FloorRequested = 3,

        /// <summary>Granted (value: the maximum talk seconds).</summary>
        FloorGranted = 4,

        /// <summary>Refused (value: the deny reason).</summary>
        FloorDenied = 5,

        /// <summary>No answer in time (value: milliseconds waited).</summary>
        GrantTimeout = 6,

        /// <summary>Taken away while talking (value: the end reason).</summary>
        FloorRevoked = 7,

        /// <summary>The badge stopped at its maximum talk time (value: milliseconds talked).</summary>
        MaxTalkTime = 8,

        /// <summary>A frame was published (value: its sequence number).</summary>
        FrameSent = 9,

        /// <summary>The burst was released (value: frames sent).</summary>
        TalkEnded = 10,

        /// <summary>Started playing a burst (value: 1 when it is a replay).</summary>
        ReceiveStarted = 11,

        /// <summary>Finished playing a burst (value: blocks played; the jitter buffer holds the other counters).</summary>
        ReceiveEnded = 12,

        /// <summary>Gave up a burst whose frames stopped coming (value: blocks played).</summary>
        ReceiveAbandoned = 13,

        /// <summary>A burst went into the unplayed queue (value: the queue's length).</summary>
        Queued = 14,

        /// <summary><c>play-request</c> sent for a queued burst.</summary>
        PlayRequested = 15,

        /// <summary><c>played</c> sent.</summary>
        PlayedSent = 16,

        /// <summary>The wearer selected another channel.</summary>
        ChannelSelected = 17,

        /// <summary>A permit was offered (value: the permits).</summary>
        PermitOffered = 18,

        /// <summary>The wearer accepted the offer (value: the permits).</summary>
        PermitAccepted = 19,

        /// <summary>A permit ended (value: the permits).</summary>
        PermitRevoked = 20,

        /// <summary>A new configuration was applied (value: its version).</summary>
        ConfigApplied = 21,

        /// <summary>Entered standby or pocket sleep (value: the sleep mode).</summary>
        Sleeping = 22,

        /// <summary>Woken by the gateway (value: the wake reason).</summary>
        WakeReceived = 23,

        /// <summary>The battery is low (value: percent).</summary>
        LowBattery = 24,

        /// <summary>A received message could not be read (value: the protocol error).</summary>
        BadMessage = 25,

        /// <summary>The gateway said who hears the burst being talked (value: live listeners; 0 plays the nobody-listening tone).</summary>
        ListenersCounted = 26,

        /// <summary>The end-of-burst tone played after a burst (value: 0).</summary>
        EndTonePlayed = 27,
        /// <summary>Quiet hours or do-not-disturb changed, told by the gateway or toggled by the wearer (value: bursts waiting).</summary>
        QuietChanged = 40,

        /// <summary>The wearer held the second button for the SOS time (value: 1 opened an emergency, 0 cancelled its own).</summary>
        EmergencyGesture = 41,

        /// <summary>The gateway said this badge's emergency is open or closed (value: 1 open, 0 closed).</summary>
        EmergencyConfirmed = 42,

        /// <summary>Another badge's emergency opened or closed on one of this badge's channels (value: 1 opened, 0 closed).</summary>
        EmergencyHeard = 43,
        /// <summary>A double press asked to answer the channel's last talker privately (value: 0).</summary>
        ReplyRequested = 44,

        /// <summary>The gateway announced a private reply to this badge (value: 0).</summary>
        ReplyIncoming = 45,

        /// <summary>The gateway refused a private reply (value: the reason).</summary>
        ReplyDenied = 46,
    }
}
