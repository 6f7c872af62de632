using System;
using System.Device.Gpio;
using System.Device.I2s;
using nanoFramework.Hardware.Esp32;

namespace WalkieTalkie.FacadeUsageCheck
{
    /// <summary>Microphone and amplifier set up as nf.settings.json describes: stereo 32-bit capture, 16-bit mono playback.</summary>
    internal sealed class AudioPathUsage
    {
        private readonly byte[] _captureBuffer = new byte[1280];
        private readonly short[] _leftSamples = new short[160];

        public I2sDevice OpenMicrophone()
        {
            Configuration.SetPinFunction(26, DeviceFunction.I2S1_BCK);
            Configuration.SetPinFunction(25, DeviceFunction.I2S1_WS);
            Configuration.SetPinFunction(34, DeviceFunction.I2S1_MDATA_IN);
            var settings = new I2sConnectionSettings(1)
            {
                Mode = I2sMode.Master | I2sMode.Rx,
                CommunicationFormat = I2sCommunicationFormat.I2S,
                BitsPerSample = I2sBitsPerSample.Bit32,
                ChannelFormat = I2sChannelFormat.RightLeft,
                SampleRate = 8000,
                BufferSize = 8192,
            };
            return new I2sDevice(settings);
        }

        public void CaptureTwentyMilliseconds(I2sDevice microphone)
        {
            microphone.Read(new SpanByte(_captureBuffer));
            for (var frame = 0; frame < _leftSamples.Length; frame++)
            {
                // Left slot first; its 24 valid bits sit at the top of the little-endian 32-bit word.
                var offset = frame * 8;
                _leftSamples[frame] = (short)(_captureBuffer[offset + 2] | (_captureBuffer[offset + 3] << 8));
            }
        }

        public I2sDevice OpenAmplifier(GpioController gpio)
        {
            var shutdown = gpio.OpenPin(21, PinMode.Output);
            shutdown.Write(PinValue.High);
            Configuration.SetPinFunction(18, DeviceFunction.I2S2_BCK);
            Configuration.SetPinFunction(19, DeviceFunction.I2S2_WS);
            Configuration.SetPinFunction(23, DeviceFunction.I2S2_DATA_OUT);
            return new I2sDevice(new I2sConnectionSettings(2)
            {
                Mode = I2sMode.Master | I2sMode.Tx,
                BitsPerSample = I2sBitsPerSample.Bit16,
                ChannelFormat = I2sChannelFormat.OnlyLeft,
                SampleRate = 8000,
                BufferSize = 4096,
            });
        }

        public ulong TimeOneBlock(I2sDevice microphone)
        {
            var start = HighResTimer.GetCurrent();
            CaptureTwentyMilliseconds(microphone);
            return HighResTimer.GetCurrent() - start;
        }
    }
}
