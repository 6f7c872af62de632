using nanoFramework.Runtime.Events;

namespace System.Device.Gpio
{
    /// <summary>Handler of <see cref="GpioPin.ValueChanged"/>.</summary>
    public delegate void PinValueChangedEventHandler(object sender, PinValueChangedEventArgs e);

    /// <summary>Handler registered on the controller for one pin's edges.</summary>
    public delegate void PinChangeEventHandler(object sender, PinValueChangedEventArgs pinValueChangedEventArgs);

    /// <summary>An edge on a pin. Derives from the runtime's event base, not from <see cref="EventArgs"/>.</summary>
    public class PinValueChangedEventArgs : BaseEvent
    {
        /// <summary>An edge of the given type on the given pin.</summary>
        public PinValueChangedEventArgs(PinEventTypes changeType, int pinNumber) => throw new NotSupportedException();

        /// <summary>Which edge happened.</summary>
        public PinEventTypes ChangeType => throw new NotSupportedException();

        /// <summary>The pin.</summary>
        public int PinNumber => throw new NotSupportedException();
    }
}
