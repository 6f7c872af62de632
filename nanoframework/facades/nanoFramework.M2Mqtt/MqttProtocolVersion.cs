namespace nanoFramework.M2Mqtt
{
    /// <summary>MQTT protocol version; set before Connect.</summary>
    public enum MqttProtocolVersion
    {
        /// <summary>3.1.</summary>
        Version_3_1 = 3,

        /// <summary>3.1.1, the default.</summary>
        Version_3_1_1 = 4,

        /// <summary>5.0.</summary>
        Version_5 = 5,
    }
}
