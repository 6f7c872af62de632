using nanoFramework.Hardware.Esp32;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Device.Audio;
using WalkieTalkie.Protocol.Audio;
using GC = nanoFramework.Runtime.Native.GC;

namespace WalkieTalkie.Device.Diagnostics
{
    /// <summary>
    /// The boot self-test: how much CPU one ADPCM block costs on this interpreter (encode, decode, and picking the
    /// mic slot out of the stereo DMA data), against the block's duration at 8 and 16 kHz, and the free managed heap.
    /// With the board on a serial console this tells whether wideband fits before anyone talks.
    /// </summary>
    public static class SelfTest
    {
        private const int Rounds = 8;

        /// <summary>Runs the measurements and logs them (about a second on an ESP32).</summary>
        public static void Run(SerialLog log)
        {
            var samplesPerBlock = ImaAdpcm.DefaultSamplesPerBlock;
            var pcm = new short[samplesPerBlock];
            var block = new byte[ImaAdpcm.BlockBytesFor(samplesPerBlock)];
            var raw = new byte[samplesPerBlock * StereoSlotPicker.FrameBytes];
            var tone = new ToneSequencer(8000);
            tone.Start(Tone.PermitOffer);
            tone.Render(pcm, 0, samplesPerBlock, false);
            var encoder = new ImaAdpcmEncoder();

            var free = GC.Run(true);

            var start = HighResTimer.GetCurrent();
            for (var i = 0; i < Rounds; i++)
            {
                encoder.Reset();
                encoder.EncodeBlock(pcm, 0, samplesPerBlock, block, 0);
            }

            var encodeMicroseconds = (long)(HighResTimer.GetCurrent() - start) / Rounds;

            start = HighResTimer.GetCurrent();
            for (var i = 0; i < Rounds; i++)
            {
                ImaAdpcmDecoder.DecodeBlock(block, 0, block.Length, pcm, 0);
            }

            var decodeMicroseconds = (long)(HighResTimer.GetCurrent() - start) / Rounds;

            start = HighResTimer.GetCurrent();
            for (var i = 0; i < Rounds; i++)
            {
                StereoSlotPicker.Pick(raw, samplesPerBlock, 0, I2sMicrophone.GainShift, pcm, 0);
            }

            var pickMicroseconds = (long)(HighResTimer.GetCurrent() - start) / Rounds;

            log.Line("selftest: per " + samplesPerBlock + "-sample block: encode " + encodeMicroseconds + " us, decode "
                + decodeMicroseconds + " us, mic slot " + pickMicroseconds + " us");
            Report(log, 8000, samplesPerBlock, encodeMicroseconds + pickMicroseconds, decodeMicroseconds);
            Report(log, 16000, samplesPerBlock, encodeMicroseconds + pickMicroseconds, decodeMicroseconds);
            log.Line("selftest: free managed heap " + free + " bytes");
        }

        private static void Report(SerialLog log, int rate, int samplesPerBlock, long talkMicroseconds, long listenMicroseconds)
        {
            var blockMicroseconds = samplesPerBlock * 1000000L / rate;
            var talkPercent = talkMicroseconds * 100 / blockMicroseconds;
            var listenPercent = listenMicroseconds * 100 / blockMicroseconds;

            // Half the CPU is the budget: Wi-Fi, TLS, MQTT and the GC need the rest of the one interpreter thread.
            var fits = talkPercent <= 50 && listenPercent <= 50;
            log.Line("selftest: " + rate + " Hz block " + blockMicroseconds + " us: talking uses " + talkPercent
                + "% CPU, listening " + listenPercent + "%: " + (fits ? "fits" : "too slow, use 8000 Hz"));
        }
    }
}
