using nanoFramework.TestFramework;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Device.OnDeviceTests
{
    /// <summary>The IMA-ADPCM codec on the interpreter that runs it: sizes, a round trip, and hostile blocks.</summary>
    [TestClass]
    public class CodecTests
    {
        private const int Samples = ImaAdpcm.DefaultSamplesPerBlock;
        private static short[] s_pcm;
        private static short[] s_decoded;
        private static byte[] s_block;

        [Setup]
        public void Allocate()
        {
            s_pcm = new short[Samples];
            s_decoded = new short[Samples];
            s_block = new byte[ImaAdpcm.DefaultBlockBytes];
        }

        [TestMethod]
        public void A_block_of_337_samples_takes_172_bytes()
        {
            Assert.AreEqual(172, ImaAdpcm.BlockBytesFor(Samples));
            Assert.AreEqual(172, new ImaAdpcmEncoder().EncodeBlock(s_pcm, 0, Samples, s_block, 0));
        }

        [TestMethod]
        public void Silence_decodes_to_silence()
        {
            for (var i = 0; i < Samples; i++)
            {
                s_pcm[i] = 0;
            }

            new ImaAdpcmEncoder().EncodeBlock(s_pcm, 0, Samples, s_block, 0);
            Assert.AreEqual(Samples, ImaAdpcmDecoder.DecodeBlock(s_block, 0, s_block.Length, s_decoded, 0));
            for (var i = 0; i < Samples; i++)
            {
                Assert.AreEqual((short)0, s_decoded[i]);
            }
        }

        [TestMethod]
        public void A_triangle_wave_survives_the_round_trip_with_more_than_20_dB_to_spare()
        {
            // 250 Hz triangle at 8 kHz, peak 12000: integer-only, as on the badge.
            for (var i = 0; i < Samples; i++)
            {
                var phase = i % 32;
                s_pcm[i] = (short)((phase < 16 ? phase : 32 - phase) * 1500 - 12000);
            }

            var encoder = new ImaAdpcmEncoder();
            encoder.EncodeBlock(s_pcm, 0, Samples, s_block, 0);
            encoder.EncodeBlock(s_pcm, 0, Samples, s_block, 0);
            Assert.AreEqual(Samples, ImaAdpcmDecoder.DecodeBlock(s_block, 0, s_block.Length, s_decoded, 0));

            long signal = 0;
            long noise = 0;
            for (var i = 0; i < Samples; i++)
            {
                long error = s_decoded[i] - s_pcm[i];
                signal += (long)s_pcm[i] * s_pcm[i];
                noise += error * error;
            }

            Assert.IsTrue(signal > 100 * noise, "signal to noise below 20 dB");
            Assert.AreEqual(s_pcm[0], s_decoded[0], "the block header carries the first sample whole");
        }

        [TestMethod]
        public void A_truncated_block_is_refused_without_an_exception()
        {
            Assert.AreEqual(AdpcmError.BlockTooShort, ImaAdpcmDecoder.DecodeBlock(s_block, 0, 3, s_decoded, 0));
        }

        [TestMethod]
        public void A_block_with_an_impossible_step_index_is_refused()
        {
            s_block[2] = 89;
            Assert.AreEqual(AdpcmError.BadStepIndex, ImaAdpcmDecoder.DecodeBlock(s_block, 0, s_block.Length, s_decoded, 0));
            s_block[2] = 0;
        }

        [TestMethod]
        [DataRow(8000, 42)]
        [DataRow(16000, 21)]
        public void A_block_lasts_42_ms_narrowband_and_21_ms_wideband(int rate, int milliseconds)
        {
            Assert.AreEqual(milliseconds, Samples * 1000 / rate);
        }
    }
}
