namespace WalkieTalkie.Protocol
{
    /// <summary>The five topics of a badge.</summary>
    public enum TopicKind : byte
    {
        None = 0,

        /// <summary><c>up/audio</c>: frames from the badge, QoS 0.</summary>
        UpAudio = 1,

        /// <summary><c>up/ctl</c>: control messages from the badge, QoS 1.</summary>
        UpControl = 2,

        /// <summary><c>up/state</c>: the badge's retained state and its last will, QoS 1.</summary>
        UpState = 3,

        /// <summary><c>down/audio</c>: frames to the badge, QoS 0.</summary>
        DownAudio = 4,

        /// <summary><c>down/ctl</c>: control messages to the badge, QoS 1.</summary>
        DownControl = 5,
    }
}
