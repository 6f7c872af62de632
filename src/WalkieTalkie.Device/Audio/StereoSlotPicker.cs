namespace WalkieTalkie.Device.Audio
{
    /// <summary>
    /// Turns what the ESP32's I2S receive DMA delivers (stereo frames of two 32-bit little-endian slots, the
    /// INMP441's 24 valid bits at the top of its slot) into 16-bit mono PCM: one slot is kept, shifted by a gain and
    /// saturated. Plain integer work on caller-owned arrays: nothing is allocated.
    /// </summary>
    public static class StereoSlotPicker
    {
        /// <summary>Bytes of one stereo frame: two 32-bit slots.</summary>
        public const int FrameBytes = 8;

        /// <summary>
        /// Converts <paramref name="frames"/> frames of <paramref name="raw"/> into <paramref name="samples"/> from
        /// <paramref name="offset"/>. <paramref name="slot"/> 0 keeps the first slot of each frame, 1 the second.
        /// <paramref name="gainShift"/> 0 keeps the slot's top 16 bits; each step up doubles the level (6 dB) and
        /// clips at full scale instead of wrapping.
        /// </summary>
        public static void Pick(byte[] raw, int frames, int slot, int gainShift, short[] samples, int offset)
        {
            var shift = 16 - gainShift;
            var position = slot * 4;
            for (var i = 0; i < frames; i++)
            {
                var word = raw[position] | (raw[position + 1] << 8) | (raw[position + 2] << 16) | (raw[position + 3] << 24);
                var value = word >> shift;
                if (value > short.MaxValue)
                {
                    value = short.MaxValue;
                }
                else if (value < short.MinValue)
                {
                    value = short.MinValue;
                }

                samples[offset + i] = (short)value;
                position += FrameBytes;
            }
        }
    }
}
