namespace System.Device.Gpio
{
    /// <summary>Edges a pin reports; combined as flags.</summary>
    public enum PinEventTypes
    {
        /// <summary>No edge.</summary>
        None = 0,

        /// <summary>Low to high.</summary>
        Rising = 1,

        /// <summary>High to low.</summary>
        Falling = 2,
    }
}
