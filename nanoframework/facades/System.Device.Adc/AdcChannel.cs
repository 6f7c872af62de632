namespace System.Device.Adc
{
    /// <summary>One open ADC channel.</summary>
    public class AdcChannel : IDisposable
    {
        internal AdcChannel()
        {
        }

        /// <summary>One raw conversion.</summary>
        public int ReadValue() => throw new NotSupportedException();

        /// <summary>Releases the channel.</summary>
        public void Dispose()
        {
        }
    }
}
