namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// Results of <see cref="WavReader"/> and <see cref="WavWriter"/>: <see cref="Ok"/> or a negative code.
    /// (Constants rather than an enum: Enum.ToString() gives a number on nanoFramework.)
    /// </summary>
    public static class WavError
    {
        /// <summary>No error.</summary>
        public const int Ok = 0;

        /// <summary>A buffer or the result object is null.</summary>
        public const int NullBuffer = -1;

        /// <summary>The file does not start with a RIFF header.</summary>
        public const int NotRiff = -2;

        /// <summary>The RIFF file is not of form WAVE.</summary>
        public const int NotWave = -3;

        /// <summary>No fmt chunk before the data.</summary>
        public const int MissingFormat = -4;

        /// <summary>The fmt chunk is too short or reaches past the end of the file.</summary>
        public const int BadFormatChunk = -5;

        /// <summary>The audio is neither 16-bit PCM nor IMA ADPCM (extensible included).</summary>
        public const int UnsupportedFormat = -6;

        /// <summary>The audio is not mono.</summary>
        public const int UnsupportedChannels = -7;

        /// <summary>Bits per sample are not 16 (PCM) or 4 (IMA ADPCM).</summary>
        public const int UnsupportedBits = -8;

        /// <summary>The block alignment does not fit the format (2 for PCM, at least 4 for IMA ADPCM).</summary>
        public const int BadBlockAlign = -9;

        /// <summary>The IMA ADPCM samples per block disagree with the block alignment.</summary>
        public const int SamplesPerBlockMismatch = -10;

        /// <summary>No data chunk.</summary>
        public const int MissingData = -11;

        /// <summary>The sample rate is zero or out of range.</summary>
        public const int BadSampleRate = -12;

        /// <summary>The buffer is too small for the header at the given offset.</summary>
        public const int BufferTooSmall = -13;

        /// <summary>A size or count given to the writer is negative or does not fit the format.</summary>
        public const int BadSize = -14;

        /// <summary>A sentence for a result code.</summary>
        public static string Describe(int code)
        {
            switch (code)
            {
                case Ok: return "no error";
                case NullBuffer: return "a buffer or the result object is null";
                case NotRiff: return "not a WAV file: no RIFF header";
                case NotWave: return "not a WAV file: the RIFF form is not WAVE";
                case MissingFormat: return "the WAV file has no fmt chunk before its data";
                case BadFormatChunk: return "the WAV fmt chunk is too short or truncated";
                case UnsupportedFormat: return "the WAV audio is neither 16-bit PCM nor IMA ADPCM";
                case UnsupportedChannels: return "the WAV audio is not mono";
                case UnsupportedBits: return "the WAV bits per sample are not 16 (PCM) or 4 (IMA ADPCM)";
                case BadBlockAlign: return "the WAV block alignment does not fit the format";
                case SamplesPerBlockMismatch: return "the IMA ADPCM samples per block disagree with the block alignment";
                case MissingData: return "the WAV file has no data chunk";
                case BadSampleRate: return "the WAV sample rate is zero or out of range";
                case BufferTooSmall: return "the buffer is too small for the WAV header";
                case BadSize: return "a WAV size or count is negative or does not fit the format";
                default: return "unknown WAV error";
            }
        }
    }
}
