namespace System.Device.Gpio
{
    /// <summary>Opens, reads, writes and watches GPIO pins.</summary>
    public sealed class GpioController : IDisposable
    {
        /// <summary>A controller with logical (GPIO) numbering.</summary>
        public GpioController() => throw new NotSupportedException();

        /// <summary>A controller with the given numbering.</summary>
        public GpioController(PinNumberingScheme numberingScheme) => throw new NotSupportedException();

        /// <summary>The numbering in use.</summary>
        public PinNumberingScheme NumberingScheme => throw new NotSupportedException();

        /// <summary>Number of pins.</summary>
        public int PinCount => throw new NotSupportedException();

        /// <summary>Opens a pin.</summary>
        public GpioPin OpenPin(int pinNumber) => throw new NotSupportedException();

        /// <summary>Opens a pin in a mode.</summary>
        public GpioPin OpenPin(int pinNumber, PinMode mode) => throw new NotSupportedException();

        /// <summary>Closes a pin.</summary>
        public void ClosePin(int pinNumber) => throw new NotSupportedException();

        /// <summary>Whether a pin is open.</summary>
        public bool IsPinOpen(int pinNumber) => throw new NotSupportedException();

        /// <summary>Whether a pin supports a mode.</summary>
        public bool IsPinModeSupported(int pinNumber, PinMode mode) => throw new NotSupportedException();

        /// <summary>A pin's mode.</summary>
        public PinMode GetPinMode(int pinNumber) => throw new NotSupportedException();

        /// <summary>Sets a pin's mode.</summary>
        public void SetPinMode(int pinNumber, PinMode mode) => throw new NotSupportedException();

        /// <summary>Reads a pin.</summary>
        public PinValue Read(int pinNumber) => throw new NotSupportedException();

        /// <summary>Writes a pin.</summary>
        public void Write(int pinNumber, PinValue value) => throw new NotSupportedException();

        /// <summary>Calls back on the given edges of a pin.</summary>
        public void RegisterCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) => throw new NotSupportedException();

        /// <summary>Stops calling back.</summary>
        public void UnregisterCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) => throw new NotSupportedException();

        /// <summary>Closes every pin.</summary>
        public void Dispose()
        {
        }
    }
}
