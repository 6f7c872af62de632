namespace WalkieTalkie.Protocol.Audio
{
    /// <summary>
    /// The errors the IMA ADPCM encoders and decoder return instead of a count. All are negative, so a
    /// result below zero is an error and anything else is a count. (Plain constants rather than an enum:
    /// Enum.ToString() gives a number on nanoFramework, <see cref="Describe"/> gives the words.)
    /// </summary>
    public static class AdpcmError
    {
        /// <summary>A buffer is null.</summary>
        public const int NullBuffer = -1;

        /// <summary>The block is shorter than its 4-byte header, or offset and length reach outside the array.</summary>
        public const int BlockTooShort = -2;

        /// <summary>The header's step index is above 88.</summary>
        public const int BadStepIndex = -3;

        /// <summary>The output buffer cannot hold the result from the given offset.</summary>
        public const int OutputTooSmall = -4;

        /// <summary>The sample count is not odd and positive, or offset and count reach outside the input.</summary>
        public const int BadSampleCount = -5;

        /// <summary>The sample count is larger than the encoder was built for.</summary>
        public const int BlockTooLong = -6;

        /// <summary>A sentence for an error code.</summary>
        public static string Describe(int code)
        {
            switch (code)
            {
                case NullBuffer: return "a buffer is null";
                case BlockTooShort: return "the IMA ADPCM block is shorter than its 4-byte header, or reaches past the end of its array";
                case BadStepIndex: return "the IMA ADPCM block header has a step index above 88";
                case OutputTooSmall: return "the output buffer is too small for the block";
                case BadSampleCount: return "a block must hold an odd, positive number of samples within the input array";
                case BlockTooLong: return "the block holds more samples than the encoder was built for";
                default: return code >= 0 ? "no error" : "unknown IMA ADPCM error";
            }
        }
    }
}
