namespace nanoFramework.Hardware.Esp32
{
    /// <summary>Peripheral families; the high part of a <see cref="DeviceFunction"/> value.</summary>
    public enum DeviceTypes
    {
        /// <summary>GPIO.</summary>
        GPIO = 0,

        /// <summary>SPI.</summary>
        SPI = 0x10000,

        /// <summary>I2C.</summary>
        I2C = 0x20000,

        /// <summary>UART.</summary>
        SERIAL = 0x30000,

        /// <summary>PWM.</summary>
        PWM = 0x40000,

        /// <summary>ADC.</summary>
        ADC = 0x50000,

        /// <summary>I2S.</summary>
        I2S = 0x60000,

        /// <summary>SD card.</summary>
        SDMMC = 0x80000,
    }

    /// <summary>
    /// A peripheral signal a GPIO can be routed to; value = device type + bus x 0x100 + index. Only the
    /// functions the badge uses are mirrored (the values are baked into callers, so they match the real ones).
    /// </summary>
    public enum DeviceFunction
    {
        /// <summary>ADC1 channel 0 (GPIO 36).</summary>
        ADC1_CH0 = DeviceTypes.ADC + 0x100 + 0,

        /// <summary>ADC1 channel 1 (GPIO 37).</summary>
        ADC1_CH1 = DeviceTypes.ADC + 0x100 + 1,

        /// <summary>ADC1 channel 2 (GPIO 38).</summary>
        ADC1_CH2 = DeviceTypes.ADC + 0x100 + 2,

        /// <summary>ADC1 channel 3 (GPIO 39).</summary>
        ADC1_CH3 = DeviceTypes.ADC + 0x100 + 3,

        /// <summary>ADC1 channel 4 (GPIO 32).</summary>
        ADC1_CH4 = DeviceTypes.ADC + 0x100 + 4,

        /// <summary>ADC1 channel 5 (GPIO 33).</summary>
        ADC1_CH5 = DeviceTypes.ADC + 0x100 + 5,

        /// <summary>ADC1 channel 6 (GPIO 34).</summary>
        ADC1_CH6 = DeviceTypes.ADC + 0x100 + 6,

        /// <summary>ADC1 channel 7 (GPIO 35), the badge's battery divider.</summary>
        ADC1_CH7 = DeviceTypes.ADC + 0x100 + 7,

        /// <summary>I2S bus 1 master clock.</summary>
        I2S1_MCK = DeviceTypes.I2S + 0x100 + 0,

        /// <summary>I2S bus 1 bit clock.</summary>
        I2S1_BCK = DeviceTypes.I2S + 0x100 + 1,

        /// <summary>I2S bus 1 word select.</summary>
        I2S1_WS = DeviceTypes.I2S + 0x100 + 2,

        /// <summary>I2S bus 1 data out.</summary>
        I2S1_DATA_OUT = DeviceTypes.I2S + 0x100 + 3,

        /// <summary>I2S bus 1 data in.</summary>
        I2S1_MDATA_IN = DeviceTypes.I2S + 0x100 + 4,

        /// <summary>I2S bus 2 master clock.</summary>
        I2S2_MCK = DeviceTypes.I2S + 0x200 + 0,

        /// <summary>I2S bus 2 bit clock.</summary>
        I2S2_BCK = DeviceTypes.I2S + 0x200 + 1,

        /// <summary>I2S bus 2 word select.</summary>
        I2S2_WS = DeviceTypes.I2S + 0x200 + 2,

        /// <summary>I2S bus 2 data out.</summary>
        I2S2_DATA_OUT = DeviceTypes.I2S + 0x200 + 3,

        /// <summary>I2S bus 2 data in.</summary>
        I2S2_MDATA_IN = DeviceTypes.I2S + 0x200 + 4,
    }
}
