namespace WalkieTalkie.Badge.Audio
{
    /// <summary>What the jitter buffer did with a frame.</summary>
    public enum OfferResult : byte
    {
        /// <summary>Stored for playing.</summary>
        Accepted = 0,

        /// <summary>Its play time has passed (the frame was already given up as lost): dropped.</summary>
        Late = 1,

        /// <summary>Already received: dropped.</summary>
        Duplicate = 2,

        /// <summary>Not of this burst, another rate, or blocks larger than the buffer holds: dropped.</summary>
        Rejected = 3,
    }
}
