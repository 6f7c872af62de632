namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Why the gateway ended a permit.</summary>
    public enum RevokeReason : byte
    {
        /// <summary>A parent or admin withdrew it.</summary>
        Revoked = 1,

        /// <summary>Its time ran out.</summary>
        Expired = 2,
    }
}
