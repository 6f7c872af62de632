namespace System.Device.I2s
{
    /// <summary>How an <see cref="I2sDevice"/> drives its bus. Pins are assigned beforehand with Configuration.SetPinFunction.</summary>
    public sealed class I2sConnectionSettings
    {
        /// <summary>Settings for a bus (1-based: 1 is the ESP32's I2S_NUM_0).</summary>
        public I2sConnectionSettings(int busId) => throw new NotSupportedException();

        /// <summary>The bus, 1-based.</summary>
        public int BusId
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>Controller mode; defaults to Pdm.</summary>
        public I2sMode Mode
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>Bits per sample; defaults to 16.</summary>
        public I2sBitsPerSample BitsPerSample
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>Channels per frame; defaults to RightLeft.</summary>
        public I2sChannelFormat ChannelFormat
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>Data format; defaults to I2S.</summary>
        public I2sCommunicationFormat CommunicationFormat
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>Sample rate in Hz; defaults to 44100.</summary>
        public int SampleRate
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>DMA buffering in bytes; defaults to 10000.</summary>
        public int BufferSize
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
