using System;
using System.Device.I2s;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Device.Settings;

namespace WalkieTalkie.Device.Audio
{
    /// <summary>
    /// The INMP441 on I2S bus 1, master receive. The ESP32 driver always runs the receive DMA in 32-bit stereo
    /// frames, so the microphone is read as stereo and its slot picked here (a mono format would halve the rate
    /// without filtering). Each <see cref="I2sDevice.Read"/> blocks every managed thread until it is full, so reads
    /// are short (<see cref="SiteSettings.CaptureReadMilliseconds"/>) and the MQTT threads get a turn between them.
    /// </summary>
    public sealed class I2sMicrophone : IAudioCapture
    {
        /// <summary>Level steps of 6 dB above the slot's top 16 bits: the INMP441 puts speech at a distance far below full scale. Tune on hardware.</summary>
        public const int GainShift = 2;

        private readonly byte[] _raw;
        private readonly short[] _staged;
        private readonly int _slot;
        private I2sDevice _device;
        private int _framesPerRead;
        private int _stagedCount;
        private static bool s_pinsAssigned;

        public I2sMicrophone()
        {
            // Sized for the highest allowed rate; a lower rate uses the front of the buffers.
            var maxFrames = SiteSettings.MaxSampleRate * SiteSettings.CaptureReadMilliseconds / 1000;
            _raw = new byte[maxFrames * StereoSlotPicker.FrameBytes];
            _staged = new short[maxFrames + SiteSettings.SamplesPerBlock];
            _slot = SiteSettings.MicSlotIsLeft ? 0 : 1;
        }

        /// <inheritdoc />
        public void Start(int sampleRate)
        {
            Stop();
            AssignPins();
            _framesPerRead = sampleRate * SiteSettings.CaptureReadMilliseconds / 1000;
            _stagedCount = 0;
            var settings = new I2sConnectionSettings(SiteSettings.CaptureI2sBus)
            {
                // Always set the mode: the API's default is Pdm, which drops the data-in pin.
                Mode = SiteSettings.CaptureMode,
                CommunicationFormat = SiteSettings.CaptureCommunicationFormat,
                BitsPerSample = SiteSettings.CaptureBitsPerSample,
                ChannelFormat = SiteSettings.CaptureChannelFormat,
                SampleRate = sampleRate,
                BufferSize = SiteSettings.CaptureDmaBufferBytes,
            };
            _device = new I2sDevice(settings);
        }

        /// <inheritdoc />
        public void Stop()
        {
            if (_device != null)
            {
                _device.Dispose();
                _device = null;
            }
        }

        /// <inheritdoc />
        public bool Read(short[] samples, int offset, int count)
        {
            if (_device == null || count > _staged.Length - _framesPerRead)
            {
                return false;
            }

            while (_stagedCount < count)
            {
                _device.Read(new SpanByte(_raw, 0, _framesPerRead * StereoSlotPicker.FrameBytes));
                StereoSlotPicker.Pick(_raw, _framesPerRead, _slot, GainShift, _staged, _stagedCount);
                _stagedCount += _framesPerRead;

                // The read held the whole runtime; let the MQTT threads send what waits before the next one.
                Thread.Sleep(0);
            }

            Array.Copy(_staged, 0, samples, offset, count);
            _stagedCount -= count;
            Array.Copy(_staged, count, _staged, 0, _stagedCount);
            return true;
        }

        private static void AssignPins()
        {
            if (s_pinsAssigned)
            {
                return;
            }

            // No I2S pin is pre-mapped on ESP32: assign them before the first I2sDevice.
            Configuration.SetPinFunction(SiteSettings.MicBitClockGpio, SiteSettings.MicBitClockFunction);
            Configuration.SetPinFunction(SiteSettings.MicWordSelectGpio, SiteSettings.MicWordSelectFunction);
            Configuration.SetPinFunction(SiteSettings.MicDataGpio, SiteSettings.MicDataFunction);
            s_pinsAssigned = true;
        }
    }
}
