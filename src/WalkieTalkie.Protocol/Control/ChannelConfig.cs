using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Protocol.Control
{
    /// <summary>One channel a badge belongs to, with its audio rate and the permits the badge holds there.</summary>
    public sealed class ChannelConfig
    {
        public byte Channel;
        public byte RateCode;

        /// <summary>Accepted permits (<see cref="Control.Permits"/> bits); 0 while none is accepted.</summary>
        public byte Permits;

        /// <summary>Unix seconds when the permits end, or <see cref="Control.Permits.Forever"/>.</summary>
        public uint PermitUntil;

        private readonly WireText _name = new WireText();

        /// <summary>The channel's name.</summary>
        public string Name
        {
            get { return _name.Text; }
            set { _name.Text = value; }
        }

        /// <summary>The channel's name as received: its UTF-8 bytes, kept (what a badge passes on).</summary>
        public WireText NameText
        {
            get { return _name; }
        }
    }
}
