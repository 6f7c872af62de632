using System;
using System.Collections;
using nanoFramework.M2Mqtt.Messages;

namespace nanoFramework.M2Mqtt
{
    /// <summary>The MQTT client's contract, in the Core assembly so that fakes need not reference the client.</summary>
    public interface IMqttClient
    {
        /// <summary>Handler of received PUBLISH messages.</summary>
        public delegate void MqttMsgPublishEventHandler(object sender, MqttMsgPublishEventArgs e);

        /// <summary>Handler of publish outcomes.</summary>
        public delegate void MqttMsgPublishedEventHandler(object sender, MqttMsgPublishedEventArgs e);

        /// <summary>Handler of a closed connection.</summary>
        public delegate void ConnectionClosedEventHandler(object sender, EventArgs e);

        /// <summary>A PUBLISH arrived (raised on the client's dispatch thread).</summary>
        event MqttMsgPublishEventHandler MqttMsgPublishReceived;

        /// <summary>A queued publish completed.</summary>
        event MqttMsgPublishedEventHandler MqttMsgPublished;

        /// <summary>The connection closed.</summary>
        event ConnectionClosedEventHandler ConnectionClosed;

        /// <summary>Whether the client is connected.</summary>
        bool IsConnected { get; }

        /// <summary>Sets up the broker connection, certificates as encoded bytes.</summary>
        void Init(string brokerHostName, int brokerPort, bool secure, byte[] caCert, byte[] clientCert, MqttSslProtocols sslProtocol);

        /// <summary>Connects with credentials, a last will and the session flag.</summary>
        MqttReasonCode Connect(string clientId, string username, string password, bool willRetain, MqttQoSLevel willQosLevel, bool willFlag, string willTopic, string willMessage, bool cleanSession, ushort keepAlivePeriod);

        /// <summary>Disconnects cleanly.</summary>
        void Disconnect();

        /// <summary>Subscribes; returns the message id.</summary>
        ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels);

        /// <summary>Unsubscribes; returns the message id.</summary>
        ushort Unsubscribe(string[] topics);

        /// <summary>Queues a QoS 0, non-retained publish; returns the message id.</summary>
        ushort Publish(string topic, byte[] message);

        /// <summary>Queues a publish with an MQTT 5 content type.</summary>
        ushort Publish(string topic, byte[] message, string contentType);

        /// <summary>Queues a publish with every option.</summary>
        ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain);

        /// <summary>Closes the connection without DISCONNECT.</summary>
        void Close();
    }
}
