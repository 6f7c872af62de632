using System;

namespace nanoFramework.M2Mqtt.Messages
{
    /// <summary>The outcome of a queued publish.</summary>
    public class MqttMsgPublishedEventArgs : EventArgs
    {
        internal MqttMsgPublishedEventArgs()
        {
        }

        /// <summary>The id Publish returned.</summary>
        public ushort MessageId => throw new NotSupportedException();

        /// <summary>Whether it reached the broker.</summary>
        public bool IsPublished => throw new NotSupportedException();
    }
}
