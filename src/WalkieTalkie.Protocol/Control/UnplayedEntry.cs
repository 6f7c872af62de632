using WalkieTalkie.Protocol.Wire;

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

        private readonly WireText _talker = new WireText();

        /// <summary>Who talked: a badge's name or a Matrix user's display name.</summary>
        public string Talker
        {
            get { return _talker.Text; }
            set { _talker.Text = value; }
        }

        /// <summary>The talker's name as received: its UTF-8 bytes, kept (what a badge passes on).</summary>
        public WireText TalkerText
        {
            get { return _talker; }
        }
    }
}
