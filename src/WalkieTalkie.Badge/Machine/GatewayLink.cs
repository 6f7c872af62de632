using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>
    /// The badge's side of MQTT: its own topics over the transport, built once, and one buffer control messages are
    /// written into. The controller and its sessions publish through it, so none of them needs the topics.
    /// </summary>
    public sealed class GatewayLink
    {
        private readonly IMessageTransport _transport;
        private readonly string _upAudio;
        private readonly string _upControl;
        private readonly string _upState;
        private readonly string _downFilter;
        private readonly byte[] _controlOut = new byte[ControlMessage.MaxLength];

        public GatewayLink(IMessageTransport transport, string badgeId)
        {
            _transport = transport;
            _upAudio = Topics.UpAudio(badgeId);
            _upControl = Topics.UpControl(badgeId);
            _upState = Topics.UpState(badgeId);
            _downFilter = Topics.DownFilter(badgeId);
        }

        public bool IsConnected
        {
            get { return _transport.IsConnected; }
        }

        /// <summary>The link's signal strength in dBm (0 when unknown).</summary>
        public int Rssi
        {
            get { return _transport.Rssi; }
        }

        /// <summary>Connects with <paramref name="willPayload"/> as the last will on the state topic, then subscribes to the badge's downlink.</summary>
        public bool Connect(byte[] willPayload)
        {
            if (!_transport.Connect(_upState, willPayload))
            {
                return false;
            }

            _transport.Subscribe(_downFilter);
            return true;
        }

        public void Disconnect()
        {
            _transport.Disconnect();
        }

        /// <summary>An audio frame, at most once: a late frame is worth less than the next one.</summary>
        public void PublishAudio(byte[] frame, int length)
        {
            _transport.Publish(_upAudio, frame, length, 0, false);
        }

        public void PublishControl(ControlMessage message)
        {
            var length = message.Write(_controlOut, 0, _controlOut.Length);
            if (length > 0)
            {
                _transport.Publish(_upControl, _controlOut, length, 1, false);
            }
        }

        /// <summary>The badge's state, retained, so the gateway reads it on (re)subscribing.</summary>
        public void PublishState(BadgeState state)
        {
            var length = state.Write(_controlOut, 0, _controlOut.Length);
            if (length > 0)
            {
                _transport.Publish(_upState, _controlOut, length, 1, true);
            }
        }
    }
}
