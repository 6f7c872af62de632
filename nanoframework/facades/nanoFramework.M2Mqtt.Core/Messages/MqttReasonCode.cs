namespace nanoFramework.M2Mqtt.Messages
{
    /// <summary>CONNACK and MQTT 5 reason codes (only the values the reference notes record are mirrored).</summary>
    public enum MqttReasonCode
    {
        /// <summary>Accepted.</summary>
        Success = 0x00,

        /// <summary>Unspecified error.</summary>
        UnspecifiedError = 0x80,

        /// <summary>Malformed packet.</summary>
        MalformedPacket = 0x81,

        /// <summary>Protocol error.</summary>
        ProtocolError = 0x82,
    }
}
