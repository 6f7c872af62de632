using System;

namespace nanoFramework.M2Mqtt
{
    /// <summary>The client's settings, one instance per device.</summary>
    public class MqttSettings
    {
        /// <summary>MQTT's plain port.</summary>
        public const int BrokerDefaultPort = 1883;

        /// <summary>MQTT's TLS port.</summary>
        public const int BrokerDefaultSslPort = 8883;

        private MqttSettings()
        {
        }

        /// <summary>The settings.</summary>
        public static MqttSettings Instance => throw new NotSupportedException();

        /// <summary>Whether the broker's certificate is validated (default true).</summary>
        public bool ValidateServerCertificate
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>Maximum queued in-flight messages.</summary>
        public int InflightQueueSize
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
