using System;
using System.Device.Gpio;
using System.Device.I2s;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Device.Settings;

namespace WalkieTalkie.Device.Audio
{
    /// <summary>
    /// The MAX98357A on I2S bus 2, 16-bit mono, with its SD_MODE pin as the power switch. The badge plays received
    /// audio through it; the indicator plays tones through it, alone or mixed into the audio. The output queue is
    /// kept to about one block ahead of what sounds (tracked by the clock, since the driver cannot be asked), so a
    /// write lands in free DMA space and returns at once.
    /// </summary>
    public sealed class I2sSpeaker : IAudioPlayback
    {
        private readonly GpioPin _shutdown;
        private readonly IClock _clock;
        private readonly ToneSequencer[] _tones = new ToneSequencer[2];
        private readonly short[] _mix;
        private readonly byte[] _bytes;
        private I2sDevice _device;
        private int _rate;
        private bool _badgePlaying;
        private long _queuedUntil;
        private int _aheadMilliseconds;
        private static bool s_pinsAssigned;

        public I2sSpeaker(GpioController gpio, IClock clock)
        {
            _clock = clock;
            _shutdown = gpio.OpenPin(SiteSettings.AmpShutdownGpio, PinMode.Output);
            _shutdown.Write(SiteSettings.AmpShutdownActiveHigh ? PinValue.Low : PinValue.High);
            var maxSamples = SiteSettings.SamplesPerBlock * 2;
            _mix = new short[maxSamples];
            _bytes = new byte[maxSamples * 2];
            _tones[0] = new ToneSequencer(SiteSettings.SampleRate);
            _tones[1] = new ToneSequencer(SiteSettings.MaxSampleRate);
        }

        /// <inheritdoc />
        public bool CanWrite
        {
            get { return _device != null && _queuedUntil - _clock.Milliseconds <= _aheadMilliseconds; }
        }

        /// <summary>True while the amplifier is powered.</summary>
        public bool IsOn
        {
            get { return _device != null; }
        }

        /// <inheritdoc />
        public void Start(int sampleRate)
        {
            _badgePlaying = true;
            Open(sampleRate);
        }

        /// <inheritdoc />
        public void Stop()
        {
            _badgePlaying = false;
            if (!ToneAt(_rate).IsPlaying)
            {
                PowerDown();
            }
        }

        /// <inheritdoc />
        public void Write(short[] samples, int offset, int count)
        {
            if (_device == null)
            {
                return;
            }

            count = count > _mix.Length ? _mix.Length : count;
            Array.Copy(samples, offset, _mix, 0, count);
            ToneAt(_rate).Render(_mix, 0, count, true);
            Send(count);
        }

        /// <summary>Starts a tone: mixed into what the badge plays, or on its own (powering the amplifier up) when it plays nothing.</summary>
        public void PlayTone(Tone tone)
        {
            if (_device == null)
            {
                Open(SiteSettings.SampleRate);
            }

            ToneAt(_rate).Start(tone);
        }

        /// <summary>Feeds a tone playing on its own; called from the main loop between badge steps.</summary>
        public void Pump()
        {
            if (_device == null || _badgePlaying)
            {
                return;
            }

            var tone = ToneAt(_rate);
            if (!tone.IsPlaying)
            {
                // Let the DMA drain the tail before cutting the amplifier.
                if (_queuedUntil <= _clock.Milliseconds)
                {
                    PowerDown();
                }

                return;
            }

            if (CanWrite)
            {
                var count = _rate * SiteSettings.PlaybackWriteMilliseconds / 1000;
                tone.Render(_mix, 0, count, false);
                Send(count);
            }
        }

        /// <summary>Amplifier off (SD_MODE to its shutdown level) and the I2S bus released: standby and pocket.</summary>
        public void PowerDown()
        {
            _tones[0].Stop();
            _tones[1].Stop();
            if (_device != null)
            {
                _device.Dispose();
                _device = null;
            }

            _shutdown.Write(SiteSettings.AmpShutdownActiveHigh ? PinValue.Low : PinValue.High);
        }

        private ToneSequencer ToneAt(int rate)
        {
            return rate == SiteSettings.SampleRate ? _tones[0] : _tones[1];
        }

        private void Open(int sampleRate)
        {
            if (_device != null && _rate == sampleRate)
            {
                return;
            }

            if (_device != null)
            {
                _device.Dispose();
            }

            AssignPins();
            _rate = sampleRate;
            _device = new I2sDevice(new I2sConnectionSettings(SiteSettings.PlaybackI2sBus)
            {
                Mode = SiteSettings.PlaybackMode,
                CommunicationFormat = SiteSettings.PlaybackCommunicationFormat,
                BitsPerSample = SiteSettings.PlaybackBitsPerSample,
                ChannelFormat = SiteSettings.PlaybackChannelFormat,
                SampleRate = sampleRate,
                BufferSize = SiteSettings.PlaybackDmaBufferBytes,
            });
            _shutdown.Write(SiteSettings.AmpShutdownActiveHigh ? PinValue.High : PinValue.Low);
            Thread.Sleep(SiteSettings.AmpWakeMilliseconds);
            _aheadMilliseconds = SiteSettings.SamplesPerBlock * 1000 / sampleRate;
            _queuedUntil = _clock.Milliseconds;
        }

        private void Send(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var sample = _mix[i];
                _bytes[2 * i] = (byte)sample;
                _bytes[2 * i + 1] = (byte)(sample >> 8);
            }

            _device.Write(new SpanByte(_bytes, 0, count * 2));
            var now = _clock.Milliseconds;
            if (_queuedUntil < now)
            {
                // The queue ran dry (an underrun played silence): count from now.
                _queuedUntil = now;
            }

            _queuedUntil += count * 1000L / _rate;
        }

        private static void AssignPins()
        {
            if (s_pinsAssigned)
            {
                return;
            }

            Configuration.SetPinFunction(SiteSettings.AmpBitClockGpio, SiteSettings.AmpBitClockFunction);
            Configuration.SetPinFunction(SiteSettings.AmpWordSelectGpio, SiteSettings.AmpWordSelectFunction);
            Configuration.SetPinFunction(SiteSettings.AmpDataGpio, SiteSettings.AmpDataFunction);
            s_pinsAssigned = true;
        }
    }
}
