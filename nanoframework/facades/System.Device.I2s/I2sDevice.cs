namespace System.Device.I2s
{
    /// <summary>An I2S bus. Read and Write block every managed thread until done: keep them short.</summary>
    public class I2sDevice : IDisposable
    {
        /// <summary>Installs the driver for the settings.</summary>
        public I2sDevice(I2sConnectionSettings settings) => throw new NotSupportedException();

        /// <summary>The settings the device was created with.</summary>
        public I2sConnectionSettings ConnectionSettings => throw new NotSupportedException();

        /// <summary>Creates a device.</summary>
        public static I2sDevice Create(I2sConnectionSettings settings) => throw new NotSupportedException();

        /// <summary>Fills the whole buffer with received audio.</summary>
        public void Read(SpanByte buffer) => throw new NotSupportedException();

        /// <summary>Writes the whole buffer (with Bit32 it byte-swaps the buffer in place).</summary>
        public void Write(SpanByte buffer) => throw new NotSupportedException();

        /// <summary>Uninstalls the driver.</summary>
        public void Dispose()
        {
        }
    }
}
