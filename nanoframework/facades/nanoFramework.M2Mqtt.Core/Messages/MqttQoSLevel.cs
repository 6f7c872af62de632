namespace nanoFramework.M2Mqtt.Messages
{
    /// <summary>MQTT quality of service.</summary>
    public enum MqttQoSLevel
    {
        /// <summary>QoS 0.</summary>
        AtMostOnce = 0x00,

        /// <summary>QoS 1.</summary>
        AtLeastOnce = 0x01,

        /// <summary>QoS 2.</summary>
        ExactlyOnce = 0x02,

        /// <summary>Subscription refused.</summary>
        GrantedFailure = 0x80,
    }
}
