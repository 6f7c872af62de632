using System;

namespace nanoFramework.M2Mqtt.Exceptions
{
    /// <summary>Communication with the broker failed.</summary>
    public class MqttCommunicationException : Exception
    {
        internal MqttCommunicationException()
        {
        }
    }
}
