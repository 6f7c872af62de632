using System;
using System.Collections;
using System.Security.Cryptography.X509Certificates;
using nanoFramework.M2Mqtt.Messages;

namespace nanoFramework.M2Mqtt
{
    /// <summary>
    /// MQTT 3.1.1 / 5 client over TCP or TLS. Publish only queues: sending happens on the client's own thread.
    /// </summary>
    public class MqttClient : IMqttClient, IDisposable
    {
        /// <summary>A client for the broker on port 1883 without TLS.</summary>
        public MqttClient(string brokerHostName) => throw new NotSupportedException();

        /// <summary>A client for the broker, with TLS when secure (clientCert null: the device's stored certificate).</summary>
        public MqttClient(string brokerHostName, int brokerPort, bool secure, X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol) => throw new NotSupportedException();

        /// <inheritdoc />
        public event IMqttClient.MqttMsgPublishEventHandler MqttMsgPublishReceived
        {
            add
            {
            }

            remove
            {
            }
        }

        /// <inheritdoc />
        public event IMqttClient.MqttMsgPublishedEventHandler MqttMsgPublished
        {
            add
            {
            }

            remove
            {
            }
        }

        /// <inheritdoc />
        public event IMqttClient.ConnectionClosedEventHandler ConnectionClosed
        {
            add
            {
            }

            remove
            {
            }
        }

        /// <inheritdoc />
        public bool IsConnected => throw new NotSupportedException();

        /// <summary>The client id of the connection.</summary>
        public string ClientId => throw new NotSupportedException();

        /// <summary>The session flag of the connection.</summary>
        public bool CleanSession => throw new NotSupportedException();

        /// <summary>The protocol version (default 3.1.1).</summary>
        public MqttProtocolVersion ProtocolVersion
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>MQTT 5 session expiry in seconds.</summary>
        public uint SessionExpiryInterval
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>The client's settings.</summary>
        public MqttSettings Settings => throw new NotSupportedException();

        /// <inheritdoc />
        public void Init(string brokerHostName, int brokerPort, bool secure, byte[] caCert, byte[] clientCert, MqttSslProtocols sslProtocol) => throw new NotSupportedException();

        /// <summary>Connects with a clean session and a 60 s keep-alive.</summary>
        public MqttReasonCode Connect(string clientId) => throw new NotSupportedException();

        /// <summary>Connects with the session flag.</summary>
        public MqttReasonCode Connect(string clientId, bool cleanSession) => throw new NotSupportedException();

        /// <summary>Connects with credentials.</summary>
        public MqttReasonCode Connect(string clientId, string username, string password) => throw new NotSupportedException();

        /// <summary>Connects with credentials, the session flag and the keep-alive.</summary>
        public MqttReasonCode Connect(string clientId, string username, string password, bool cleanSession, ushort keepAlivePeriod) => throw new NotSupportedException();

        /// <inheritdoc />
        public MqttReasonCode Connect(string clientId, string username, string password, bool willRetain, MqttQoSLevel willQosLevel, bool willFlag, string willTopic, string willMessage, bool cleanSession, ushort keepAlivePeriod) => throw new NotSupportedException();

        /// <inheritdoc />
        public void Disconnect() => throw new NotSupportedException();

        /// <inheritdoc />
        public void Close() => throw new NotSupportedException();

        /// <inheritdoc />
        public ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels) => throw new NotSupportedException();

        /// <inheritdoc />
        public ushort Unsubscribe(string[] topics) => throw new NotSupportedException();

        /// <inheritdoc />
        public ushort Publish(string topic, byte[] message) => throw new NotSupportedException();

        /// <inheritdoc />
        public ushort Publish(string topic, byte[] message, string contentType) => throw new NotSupportedException();

        /// <summary>Queues a publish with MQTT 5 user properties.</summary>
        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties) => throw new NotSupportedException();

        /// <inheritdoc />
        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain) => throw new NotSupportedException();

        /// <summary>Closes the connection and stops the client's threads.</summary>
        public void Dispose()
        {
        }
    }
}
