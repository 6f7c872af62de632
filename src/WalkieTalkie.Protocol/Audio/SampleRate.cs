namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>The sample rates a channel may use, as the one-byte code frames carry.</summary>
    public static class SampleRate
    {
        /// <summary>8 kHz narrowband: the walkie norm and half the badge's CPU.</summary>
        public const byte Narrowband = 0;

        /// <summary>16 kHz wideband.</summary>
        public const byte Wideband = 1;

        /// <summary>Hertz for a rate code, or 0 for a code this version does not know.</summary>
        public static int ToHertz(byte code)
        {
            switch (code)
            {
                case Narrowband: return 8000;
                case Wideband: return 16000;
                default: return 0;
            }
        }

        /// <summary>The code for a rate in hertz, or 255 when the rate is not one a channel may use.</summary>
        public static byte FromHertz(int hertz)
        {
            switch (hertz)
            {
                case 8000: return Narrowband;
                case 16000: return Wideband;
                default: return 255;
            }
        }
    }
}
