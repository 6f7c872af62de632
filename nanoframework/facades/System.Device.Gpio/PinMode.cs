namespace System.Device.Gpio
{
    /// <summary>How a GPIO pin is driven or read.</summary>
    public enum PinMode
    {
        /// <summary>Floating input.</summary>
        Input,

        /// <summary>Input with the internal pull-down.</summary>
        InputPullDown,

        /// <summary>Input with the internal pull-up.</summary>
        InputPullUp,

        /// <summary>Push-pull output.</summary>
        Output,

        /// <summary>Open-drain output.</summary>
        OutputOpenDrain,

        /// <summary>Open-drain output with the internal pull-up.</summary>
        OutputOpenDrainPullUp,

        /// <summary>Open-source output.</summary>
        OutputOpenSource,

        /// <summary>Open-source output with the internal pull-down.</summary>
        OutputOpenSourcePullDown,
    }
}
