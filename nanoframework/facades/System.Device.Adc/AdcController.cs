namespace System.Device.Adc
{
    /// <summary>The target's one ADC controller (nanoFramework maps every ADC channel of the chip behind it).</summary>
    public sealed class AdcController
    {
        /// <summary>Opens the controller; a second instance throws InvalidOperationException.</summary>
        public AdcController() => throw new NotSupportedException();

        /// <summary>The largest raw value a channel reports.</summary>
        public int MaxValue => throw new NotSupportedException();

        /// <summary>The smallest raw value a channel reports.</summary>
        public int MinValue => throw new NotSupportedException();

        /// <summary>The converter's resolution in bits.</summary>
        public int ResolutionInBits => throw new NotSupportedException();

        /// <summary>Opens a channel by the target's channel number (ESP32: 0-7 are ADC1 channels 0-7).</summary>
        public AdcChannel OpenChannel(int channelNumber) => throw new NotSupportedException();
    }
}
