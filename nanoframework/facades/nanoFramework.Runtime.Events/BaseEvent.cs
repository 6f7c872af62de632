namespace nanoFramework.Runtime.Events
{
    /// <summary>Base of the events the native layer queues for managed dispatch (GPIO edges among them).</summary>
    public class BaseEvent
    {
        /// <summary>The event's source.</summary>
        public ushort Source;

        /// <summary>The event's message code.</summary>
        public byte Message;
    }
}
