using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>
    /// Quiet hours and do-not-disturb as the badge sees them: the gateway decides (it holds bursts back and says so
    /// with <c>quiet-state</c>); the badge shows it on the LED and sends the wearer's toggle.
    /// </summary>
    public sealed class QuietMode
    {
        private readonly GatewayLink _link;
        private readonly DoNotDisturb _toggle = new DoNotDisturb();
        private byte _flags;
        private int _waiting;

        public QuietMode(GatewayLink link)
        {
            _link = link;
        }

        /// <summary>Bursts of at least one channel are held now.</summary>
        public bool IsQuiet
        {
            get { return (_flags & QuietFlags.Quiet) != 0; }
        }

        public bool DoNotDisturbOn
        {
            get { return (_flags & QuietFlags.DoNotDisturb) != 0; }
        }

        /// <summary>Bursts waiting for the quiet to end.</summary>
        public int Waiting
        {
            get { return _waiting; }
        }

        /// <summary>What the LED shows while idle.</summary>
        public LedState IdleLed
        {
            get
            {
                if (_waiting > 0)
                {
                    return LedState.QuietWaiting;
                }

                return IsQuiet ? LedState.Quiet : LedState.Idle;
            }
        }

        /// <summary>A new connection: the gateway tells a quiet badge again when it comes online, and says nothing otherwise.</summary>
        public void Clear()
        {
            _flags = 0;
            _waiting = 0;
        }

        public void Apply(QuietState state)
        {
            _flags = state.Flags;
            _waiting = state.Waiting;
        }

        /// <summary>
        /// Asks the gateway to turn do-not-disturb the other way and returns the tone that says which. The badge shows
        /// it at once; the gateway's next quiet-state confirms it.
        /// </summary>
        public Tone Toggle()
        {
            _toggle.On = !DoNotDisturbOn;
            _link.PublishControl(_toggle);
            _flags = _toggle.On ? (byte)(QuietFlags.DoNotDisturb | QuietFlags.Quiet) : (byte)0;
            return _toggle.On ? Tone.DoNotDisturbOn : Tone.DoNotDisturbOff;
        }
    }
}
