using System;

namespace nanoFramework.M2Mqtt.Exceptions
{
    /// <summary>Connecting to the broker failed (wraps the socket or TLS error).</summary>
    public class MqttConnectionException : Exception
    {
        internal MqttConnectionException()
        {
        }
    }
}
