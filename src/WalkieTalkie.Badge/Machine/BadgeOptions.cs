using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>
    /// The badge's tunables: memory sizes and timeouts. The gateway's <c>config</c> sets the rest (channels, rates,
    /// blocks per frame, maximum talk time, playback order, check-in interval).
    /// </summary>
    public sealed class BadgeOptions
    {
        public const int DefaultUnderrunGuardMilliseconds = 5;

        public const int DefaultLatencyTrimWindowMilliseconds = 1000;

        /// <summary>Samples per ADPCM block (odd): 337 = 172 bytes, 42 ms at 8 kHz, 21 ms at 16 kHz.</summary>
        public int SamplesPerBlock = ImaAdpcm.DefaultSamplesPerBlock;

        /// <summary>Blocks per frame until a <c>config</c> says otherwise.</summary>
        public int DefaultBlocksPerFrame = 2;

        /// <summary>Maximum talk time until a <c>config</c> says otherwise.</summary>
        public int DefaultMaxTalkSeconds = 60;

        /// <summary>The most blocks a received frame may carry; sizes the jitter buffer's slots.</summary>
        public int MaxBlocksPerFrame = 8;

        /// <summary>The jitter buffer's reorder window, in frames.</summary>
        public int JitterSlots = 8;

        /// <summary>Frames the jitter buffer waits for before it starts playing.</summary>
        public int JitterPrefill = 2;

        /// <summary>
        /// A frame not here yet is concealed only when the speaker holds less than this much audio: until then it may
        /// still come in time. It must cover the longest gap between two steps.
        /// </summary>
        public int UnderrunGuardMilliseconds = DefaultUnderrunGuardMilliseconds;

        /// <summary>
        /// When the jitter buffer held more than its target for this long, latency that an underrun or a stall added
        /// is taken back by playing two blocks in the time of one (0: never).
        /// </summary>
        public int LatencyTrimWindowMilliseconds = DefaultLatencyTrimWindowMilliseconds;

        /// <summary>Messages that may wait in the inbox between two steps.</summary>
        public int InboxSlots = 16;

        /// <summary>Bursts the unplayed queue holds.</summary>
        public int UnplayedCapacity = 32;

        /// <summary>How long to wait for <c>floor-granted</c> or <c>floor-denied</c>.</summary>
        public int GrantTimeoutMilliseconds = 3000;

        /// <summary>
        /// A push-to-talk press this soon after the previous press is the second of a double press: a private reply
        /// to the channel's last talker.
        /// </summary>
        public int DoublePressMilliseconds = 400;

        /// <summary>A press held this long is a long press.</summary>
        public int LongPressMilliseconds = 1000;

        /// <summary>The second button held this long opens an emergency (SOS), or cancels the badge's own open one.</summary>
        public int SosHoldMilliseconds = 3000;

        /// <summary>How long an emergency keeps the microphone open without push-to-talk held.</summary>
        public int SosMicrophoneSeconds = 10;

        /// <summary>A burst whose frames stop for this long (and whose buffer ran dry) is given up.</summary>
        public int ReceiveTimeoutMilliseconds = 2000;

        /// <summary>How long to wait for the first frame of a burst asked for with <c>play-request</c>.</summary>
        public int PlayRequestTimeoutMilliseconds = 5000;

        /// <summary>How long a busy or preempted indication holds before the badge is idle again (push-to-talk released).</summary>
        public int ToneHoldMilliseconds = 500;

        /// <summary>Idle this long: standby (0: never).</summary>
        public int StandbyAfterMilliseconds = 30000;

        /// <summary>In standby this long: pocket sleep (0: never).</summary>
        public int PocketAfterMilliseconds = 0;

        /// <summary>After a check-in (timer wake), idle this long with nothing to play: pocket sleep again.</summary>
        public int CheckInAwakeMilliseconds = 5000;

        /// <summary>Wait between connection attempts.</summary>
        public int ReconnectDelayMilliseconds = 1000;

        /// <summary>At or below this charge the badge plays the low-battery tone.</summary>
        public int LowBatteryPercent = 15;

        /// <summary>How often the battery is looked at while idle.</summary>
        public int BatteryCheckMilliseconds = 60000;
    }
}
