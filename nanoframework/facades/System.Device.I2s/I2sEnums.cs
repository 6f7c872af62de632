namespace System.Device.I2s
{
    /// <summary>I2S controller mode; the values combine as flags (Master|Rx, Master|Tx).</summary>
    public enum I2sMode
    {
        /// <summary>The ESP32 drives the clocks.</summary>
        Master = 1,

        /// <summary>The peer drives the clocks.</summary>
        Slave = 2,

        /// <summary>Transmit.</summary>
        Tx = 4,

        /// <summary>Receive.</summary>
        Rx = 8,

        /// <summary>Built-in DAC output.</summary>
        DacBuiltIn = 16,

        /// <summary>Built-in ADC input.</summary>
        AdcBuiltIn = 32,

        /// <summary>PDM. The settings' default: always set the mode explicitly.</summary>
        Pdm = 64,
    }

    /// <summary>Bits per sample.</summary>
    public enum I2sBitsPerSample
    {
        /// <summary>8 bits.</summary>
        Bit8 = 8,

        /// <summary>16 bits.</summary>
        Bit16 = 16,

        /// <summary>24 bits.</summary>
        Bit24 = 24,

        /// <summary>32 bits.</summary>
        Bit32 = 32,
    }

    /// <summary>Which channels a frame carries.</summary>
    public enum I2sChannelFormat
    {
        /// <summary>Stereo, right and left.</summary>
        RightLeft = 0,

        /// <summary>Both slots carry the right channel.</summary>
        AllRight = 1,

        /// <summary>Both slots carry the left channel.</summary>
        AllLeft = 2,

        /// <summary>Mono, right slot only.</summary>
        OnlyRight = 3,

        /// <summary>Mono, left slot only.</summary>
        OnlyLeft = 4,
    }

    /// <summary>Serial data format.</summary>
    public enum I2sCommunicationFormat
    {
        /// <summary>Philips I2S.</summary>
        I2S = 0x01,

        /// <summary>MSB (left) justified.</summary>
        Msb = 0x03,

        /// <summary>PCM short frame sync.</summary>
        PcmShort = 0x04,

        /// <summary>PCM long frame sync.</summary>
        PcmLong = 0x0C,

        /// <summary>Upper bound of the values.</summary>
        Max = 0x0D,
    }
}
