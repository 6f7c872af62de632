namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>
    /// The MQTT connection. Every call comes from the badge's thread and returns without waiting for the network
    /// (a publish is queued). Received messages go the other way: the transport hands each one to
    /// <see cref="Messaging.MessageInbox.Post"/>, from whatever thread it receives on.
    /// </summary>
    public interface IMessageTransport
    {
        /// <summary>True while the connection to the broker is up.</summary>
        bool IsConnected { get; }

        /// <summary>
        /// The received signal strength of the link this connection runs over, in dBm (negative), 0 when unknown.
        /// Read each time the badge publishes its <c>badge-state</c>.
        /// </summary>
        /// <remarks>
        /// It lives here rather than on <see cref="IPower"/> because it describes the network link, not the power
        /// supply: the adapter that owns the radio connection is the one that can measure it (on the device the
        /// Wi-Fi scan the MQTT transport already holds), and a badge on another link reports that link's signal.
        /// </remarks>
        int Rssi { get; }

        /// <summary>
        /// Starts connecting, or continues an attempt in progress, with a persistent session and the given last will
        /// (QoS 1, retained). Returns true once connected. The identity comes from <see cref="ISettingsStore"/>.
        /// </summary>
        bool Connect(string willTopic, byte[] willPayload);

        /// <summary>Closes the connection (before pocket sleep); the session stays on the broker.</summary>
        void Disconnect();

        /// <summary>Subscribes to <paramref name="topicFilter"/> with QoS 1.</summary>
        void Subscribe(string topicFilter);

        /// <summary>
        /// Queues the first <paramref name="length"/> bytes of <paramref name="payload"/> for publishing. The bytes are
        /// copied before the call returns, so the caller may reuse its buffer. Returns false when not connected.
        /// </summary>
        bool Publish(string topic, byte[] payload, int length, byte qos, bool retain);
    }
}
