namespace WalkieTalkie.Protocol
{
    /// <summary>The version byte that opens every payload. A receiver rejects any other version.</summary>
    public static class ProtocolVersion
    {
        public const byte Current = 1;
    }
}
