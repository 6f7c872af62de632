using System;
using System.Security.Cryptography.X509Certificates;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Messaging;
using WalkieTalkie.Device.Diagnostics;
using WalkieTalkie.Device.Settings;

namespace WalkieTalkie.Device.Network
{
    /// <summary>
    /// The badge's MQTT connection over TLS with nanoFramework.M2Mqtt: a persistent session (clean session off), the
    /// badge id and secret as user name and password, the provisioned CA as trust anchor, and a retained last will on
    /// the state topic. Received messages go straight into the badge's inbox from M2Mqtt's dispatch thread.
    /// </summary>
    /// <remarks>
    /// M2Mqtt takes the will message as a string and nanoFramework strings end at a NUL, so the binary
    /// <c>badge-state</c> Offline (which holds zero bytes and bytes above 0x7F) cannot be the will. M2Mqtt also refuses
    /// an empty will (WillWrong). The will is therefore the ASCII text <see cref="WillText"/>, retained on the state
    /// topic: it replaces the badge's last retained state when it drops (see docs/device.md). M2Mqtt also needs an exact-size array
    /// per publish, which it queues for its own sending thread: that one allocation per message is why frames carry
    /// several blocks.
    /// </remarks>
    public sealed class MqttTransport : IMessageTransport
    {
        /// <summary>The last will's payload: text, because M2Mqtt's will is a string.</summary>
        public const string WillText = LastWill.Text;

        private static readonly MqttQoSLevel[] SubscribeLevels = { MqttQoSLevel.AtLeastOnce };

        private readonly BadgeIdentity _identity;
        private readonly X509Certificate _ca;
        private readonly WifiSignal _signal;
        private readonly SerialLog _log;
        private MqttClient _client;
        private MessageInbox _inbox;

        public MqttTransport(BadgeIdentity identity, X509Certificate ca, WifiSignal signal, SerialLog log)
        {
            _identity = identity;
            _ca = ca;
            _signal = signal;
            _log = log;
        }

        /// <summary>Where received messages go (the badge's inbox); set before the badge starts.</summary>
        public void DeliverTo(MessageInbox inbox)
        {
            _inbox = inbox;
        }

        /// <inheritdoc />
        public bool IsConnected
        {
            get
            {
                var client = _client;
                return client != null && client.IsConnected;
            }
        }

        /// <inheritdoc />
        /// <remarks>The strongest scan entry of the badge's own SSID (nanoFramework has no call for the current link's RSSI).</remarks>
        public int Rssi
        {
            get { return _signal == null ? 0 : _signal.Rssi; }
        }

        /// <inheritdoc />
        public bool Connect(string willTopic, byte[] willPayload)
        {
            if (IsConnected)
            {
                return true;
            }

            Close();
            var host = _identity.BrokerHost != null ? _identity.BrokerHost : SiteSettings.BrokerHost;
            var port = _identity.BrokerPort != 0 ? _identity.BrokerPort : SiteSettings.BrokerPort;
            try
            {
                var client = new MqttClient(host, port, SiteSettings.BrokerTls, _ca, null, MqttSslProtocols.TLSv1_2);
                client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
                client.Settings.ValidateServerCertificate = SiteSettings.ValidateServerCertificate;
                client.MqttMsgPublishReceived += OnMessage;
                client.ConnectionClosed += OnClosed;
                var result = client.Connect(_identity.BadgeId, _identity.BadgeId, _identity.Secret,
                    true, MqttQoSLevel.AtLeastOnce, true, willTopic, WillText, false, (ushort)SiteSettings.KeepAliveSeconds);
                if (result != MqttReasonCode.Success)
                {
                    _log.Line("mqtt: refused, reason " + (int)result);
                    client.Dispose();
                    return false;
                }

                _client = client;
                return true;
            }
            catch (Exception e)
            {
                _log.Line("mqtt: cannot connect to " + host + ":" + port + ", " + e.Message);
                return false;
            }
        }

        /// <inheritdoc />
        public void Disconnect()
        {
            var client = _client;
            if (client == null)
            {
                return;
            }

            try
            {
                client.Disconnect();
            }
            catch (Exception)
            {
                // Already gone: the session stays on the broker either way.
            }

            Close();
        }

        /// <inheritdoc />
        public void Subscribe(string topicFilter)
        {
            var client = _client;
            if (client != null)
            {
                client.Subscribe(new string[] { topicFilter }, SubscribeLevels);
            }
        }

        /// <inheritdoc />
        public bool Publish(string topic, byte[] payload, int length, byte qos, bool retain)
        {
            var client = _client;
            if (client == null || !client.IsConnected)
            {
                return false;
            }

            var message = new byte[length];
            Array.Copy(payload, message, length);
            try
            {
                client.Publish(topic, message, null, null, qos == 0 ? MqttQoSLevel.AtMostOnce : MqttQoSLevel.AtLeastOnce, retain);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private void Close()
        {
            var client = _client;
            _client = null;
            if (client != null)
            {
                client.MqttMsgPublishReceived -= OnMessage;
                client.ConnectionClosed -= OnClosed;
                client.Dispose();
            }
        }

        private void OnMessage(object sender, MqttMsgPublishEventArgs e)
        {
            var inbox = _inbox;
            if (inbox != null && e.Message != null)
            {
                inbox.Post(e.Topic, e.Message, 0, e.Message.Length);
            }
        }

        private void OnClosed(object sender, EventArgs e)
        {
            _log.Line("mqtt: connection closed");
        }
    }
}
