namespace System.Device.Gpio
{
    /// <summary>One open GPIO pin.</summary>
    public sealed class GpioPin : IDisposable
    {
        private GpioPin()
        {
        }

        /// <summary>Native debounce: after the first edge the driver waits this long and re-reads the level.</summary>
        public TimeSpan DebounceTimeout
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>The pin's number.</summary>
        public int PinNumber => throw new NotSupportedException();

        /// <summary>Raised on each (debounced) level change.</summary>
        public event PinValueChangedEventHandler ValueChanged
        {
            add
            {
            }

            remove
            {
            }
        }

        /// <summary>The pin's current mode.</summary>
        public PinMode GetPinMode() => throw new NotSupportedException();

        /// <summary>Whether the pin supports the mode.</summary>
        public bool IsPinModeSupported(PinMode pinMode) => throw new NotSupportedException();

        /// <summary>Sets the pin's mode.</summary>
        public void SetPinMode(PinMode value) => throw new NotSupportedException();

        /// <summary>Reads the level.</summary>
        public PinValue Read() => throw new NotSupportedException();

        /// <summary>Writes the level.</summary>
        public void Write(PinValue value) => throw new NotSupportedException();

        /// <summary>Inverts an output's level (far cheaper than Write on nanoFramework).</summary>
        public void Toggle() => throw new NotSupportedException();

        /// <summary>Closes the pin.</summary>
        public void Dispose()
        {
        }
    }
}
