using System;

namespace nanoFramework.M2Mqtt.Messages
{
    /// <summary>A PUBLISH received from the broker.</summary>
    public class MqttMsgPublishEventArgs : EventArgs
    {
        internal MqttMsgPublishEventArgs()
        {
        }

        /// <summary>The topic.</summary>
        public string Topic => throw new NotSupportedException();

        /// <summary>The payload.</summary>
        public byte[] Message => throw new NotSupportedException();

        /// <summary>Whether this is a redelivery.</summary>
        public bool DupFlag => throw new NotSupportedException();

        /// <summary>The QoS it was delivered with.</summary>
        public MqttQoSLevel QosLevel => throw new NotSupportedException();

        /// <summary>Whether it was a retained message.</summary>
        public bool Retain => throw new NotSupportedException();
    }
}
