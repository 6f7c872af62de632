namespace WalkieTalkie.Protocol.Control
{
    /// <summary>One recording a badge has not heard yet.</summary>
    public sealed class UnplayedEntry
    {
        public uint BurstId;
        public byte Channel;
        public uint DurationMs;

        /// <summary>When the burst began, in Unix seconds.</summary>
        public uint RecordedAt;
        public string Talker = string.Empty;
    }
}
