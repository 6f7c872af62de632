namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Bits of a quiet-state's flags byte. Bits not named here are reserved and must be zero.</summary>
    public static class QuietFlags
    {
        /// <summary>Quiet hours or do-not-disturb hold bursts of at least one of the badge's channels now.</summary>
        public const byte Quiet = 0x01;

        /// <summary>The badge's do-not-disturb is on.</summary>
        public const byte DoNotDisturb = 0x02;

        public const byte Known = Quiet | DoNotDisturb;
    }
}
