namespace System.Device.Gpio
{
    /// <summary>How pin numbers are read: the chip's GPIO numbers or the board's header numbers.</summary>
    public enum PinNumberingScheme
    {
        /// <summary>The chip's logical GPIO numbers.</summary>
        Logical,

        /// <summary>The board's physical pin numbers.</summary>
        Board,
    }
}
